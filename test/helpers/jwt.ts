/** Signs RS256 JWTs with node:crypto (no JWT library), and publishes their keys as a JWKS. */
import { generateKeyPairSync, type JsonWebKey, type KeyObject, sign } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public key as it appears in a JWKS. */
  jwk: JsonWebKey;
}

export function newSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' } };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(key: SigningKey, claims: Record<string, unknown>, kid = key.kid): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64url({ alg: 'RS256', typ: 'JWT', kid });
  const body = b64url({ iat: now, nbf: now - 5, exp: now + 3600, ...claims });
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}
