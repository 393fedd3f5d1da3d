// The bot's host: a Container Apps environment (logs to Log Analytics) and the winfix container app,
// HTTPS ingress on port 3978, secrets read from Key Vault with the user-assigned identity.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Azure region.')
param location string

@description('Container image of winfix.')
param containerImage string

@description('Name of an Azure Container Registry in this resource group the image is pulled from, or empty for a public image.')
param registryName string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Principal id of that identity (granted AcrPull on the registry).')
param identityPrincipalId string

@description('Client id of that identity (AZURE_CLIENT_ID for the Automation calls).')
param identityClientId string

@description('Name of the Log Analytics workspace.')
param workspaceName string

@description('Key Vault URI of the Teams app password.')
param teamsAppPasswordSecretUri string

@description('Key Vault URI of DATABASE_URL.')
param databaseUrlSecretUri string

@description('Application (client) ID of the bot\'s Entra app.')
param teamsAppId string

@description('WINFIX_TEAMS_TECHNICIANS.')
param teamsTechnicians string

@description('WINFIX_TEAMS_TECHNICIAN_CONVERSATION.')
param teamsTechnicianConversation string

@description('Name of the Automation account (in this resource group).')
param automationAccountName string

@description('Most replicas.')
param maxReplicas int

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

// AcrPull: pull images, nothing else.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = if (!empty(registryName)) {
  name: registryName
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(registryName)) {
  name: guid(resourceGroup().id, registryName, identityPrincipalId, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${prefix}-env'
  location: location
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
  }
}

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${prefix}-app'
  location: location
  dependsOn: [pull]
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      ingress: {
        external: true
        targetPort: 3978
        transport: 'auto'
        allowInsecure: false
      }
      secrets: [
        { name: 'teams-app-password', keyVaultUrl: teamsAppPasswordSecretUri, identity: identityId }
        { name: 'database-url', keyVaultUrl: databaseUrlSecretUri, identity: identityId }
      ]
      registries: empty(registryName) ? [] : [{ server: '${registryName}.azurecr.io', identity: identityId }]
    }
    template: {
      containers: [
        {
          name: 'winfix'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            { name: 'NODE_ENV', value: 'production' }
            { name: 'PORT', value: '3978' }
            { name: 'WINFIX_TEAMS_APP_ID', value: teamsAppId }
            { name: 'WINFIX_TEAMS_TENANT_ID', value: tenant().tenantId }
            { name: 'WINFIX_TEAMS_APP_PASSWORD', secretRef: 'teams-app-password' }
            { name: 'WINFIX_TEAMS_TECHNICIANS', value: teamsTechnicians }
            { name: 'WINFIX_TEAMS_TECHNICIAN_CONVERSATION', value: teamsTechnicianConversation }
            { name: 'DATABASE_URL', secretRef: 'database-url' }
            { name: 'WINFIX_EXECUTOR', value: 'azure' }
            { name: 'AZURE_SUBSCRIPTION_ID', value: subscription().subscriptionId }
            { name: 'AZURE_RESOURCE_GROUP', value: resourceGroup().name }
            { name: 'AZURE_AUTOMATION_ACCOUNT', value: automationAccountName }
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
          ]
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 30
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: maxReplicas
      }
    }
  }
}

@description('Public host name of the app.')
output fqdn string = app.properties.configuration.ingress.fqdn
