/**
 * A stand-in for the SDK's MSAL connection manager: hands out a fixed token for calls to the channel
 * instead of asking Entra (which a test cannot reach). Injected through the connector's options.
 */
import type { AuthProvider, Connections } from '@microsoft/agents-hosting';

export function fakeConnections(token: string): Connections {
  const get = async () => token;
  const provider = {
    getAccessToken: get,
    getAgenticApplicationToken: get,
    getAgenticInstanceToken: get,
    getAgenticUserToken: get,
    acquireTokenOnBehalfOf: get,
  } as unknown as AuthProvider;
  return {
    getConnection: () => provider,
    getDefaultConnection: () => provider,
    getTokenProvider: () => provider,
    getTokenProviderFromActivity: () => provider,
    getDefaultConnectionConfiguration: () => ({}),
  };
}
