/**
 * The one place that builds the Azure credential from the settings: a service principal with a client
 * secret when AZURE_CLIENT_SECRET is set (outside Azure), else the managed identity (in Azure:
 * system-assigned, or user-assigned with AZURE_CLIENT_ID). @azure/identity is loaded only when needed.
 */
import type { TokenCredential } from '@azure/identity';
import { AutomationConfigError } from './errors';
import type { ExecutorSettings } from './settings';

export async function createCredential(settings: ExecutorSettings): Promise<TokenCredential> {
  const identity = await import('@azure/identity');
  const { tenantId, clientId, clientSecret, authorityHost } = settings;
  if (clientSecret) {
    if (!tenantId || !clientId)
      throw new AutomationConfigError('a client secret needs AZURE_TENANT_ID and AZURE_CLIENT_ID');
    return new identity.ClientSecretCredential(tenantId, clientId, clientSecret.reveal(), {
      ...(authorityHost ? { authorityHost } : {}),
    });
  }
  return clientId
    ? new identity.ManagedIdentityCredential({ clientId })
    : new identity.ManagedIdentityCredential();
}
