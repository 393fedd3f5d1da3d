// Key Vault (RBAC mode) with the bot's two secrets; the managed identity may read secrets of this vault only.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Suffix that makes the vault name unique in Azure.')
param suffix string

@description('Azure region.')
param location string

@description('Principal id of the managed identity that reads the secrets.')
param readerPrincipalId string

@description('Client secret of the bot\'s Entra app.')
@secure()
param teamsAppPassword string

@description('DATABASE_URL of the PostgreSQL database.')
@secure()
param databaseUrl string

// Key Vault Secrets User: read secret contents, nothing else.
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${prefix}-kv-${suffix}'
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource teamsSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'teams-app-password'
  properties: { value: teamsAppPassword }
}

resource databaseSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: { value: databaseUrl }
}

resource readSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('URI of the Teams app password secret.')
output teamsAppPasswordSecretUri string = teamsSecret.properties.secretUri

@description('URI of the DATABASE_URL secret.')
output databaseUrlSecretUri string = databaseSecret.properties.secretUri
