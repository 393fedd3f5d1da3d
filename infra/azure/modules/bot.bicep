// The Azure Bot (single-tenant Entra app) pointing at the container app, with the Microsoft Teams channel.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Suffix that makes the bot handle unique in Azure.')
param suffix string

@description('Application (client) ID of the bot\'s Entra app.')
param teamsAppId string

@description('HTTPS messaging endpoint: https://<host>/api/messages.')
param messagingEndpoint string

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${prefix}-bot-${suffix}'
  location: 'global'
  kind: 'azurebot'
  sku: { name: 'F0' }
  properties: {
    displayName: 'winfix'
    endpoint: messagingEndpoint
    msaAppId: teamsAppId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenant().tenantId
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}
