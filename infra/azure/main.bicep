// winfix in one resource group: the bot on Azure Container Apps, the Azure Bot with its Teams channel,
// a user-assigned managed identity, Key Vault, PostgreSQL flexible server, Log Analytics + Application
// Insights, and the Automation account with every runbook of infra/runbooks published.
// Deploy: see infra/azure/README.md.

@description('Short lowercase prefix every resource name is derived from (3 to 10 letters or digits, starting with a letter).')
@minLength(3)
@maxLength(10)
param prefix string

@description('Azure region for every resource except the Azure Bot, which is global.')
param location string = resourceGroup().location

@description('Container image of winfix, for example winfixacr.azurecr.io/winfix:0.1.0.')
param containerImage string

@description('Name of an Azure Container Registry in this resource group holding the image (the identity gets AcrPull on it); empty for a public image.')
param registryName string = ''

@description('Application (client) ID of the bot\'s single-tenant Entra app registration (WINFIX_TEAMS_APP_ID).')
param teamsAppId string

@description('Client secret of that Entra app (WINFIX_TEAMS_APP_PASSWORD); stored in Key Vault only.')
@secure()
param teamsAppPassword string

@description('Administrator login of the PostgreSQL server.')
param postgresAdminLogin string = 'winfixadmin'

@description('Administrator password of the PostgreSQL server (letters and digits only, 16 characters or more: it is written into DATABASE_URL); stored in Key Vault only.')
@secure()
param postgresAdminPassword string

@description('Teams technicians (AAD object ids or e-mail addresses, comma-separated): WINFIX_TEAMS_TECHNICIANS.')
param teamsTechnicians string = ''

@description('Conversation id of the technicians\' channel (WINFIX_TEAMS_TECHNICIAN_CONVERSATION); empty until the bot is added to the team.')
param teamsTechnicianConversation string = ''

@description('Base URL the runbooks are published from: <url>/<Runbook-Name>.ps1 must be readable by Azure Automation (a blob container with a SAS token, or the raw files of a release).')
param runbookContentBaseUrl string

@description('Query string appended to each runbook URL, such as a SAS token starting with "?"; empty when the URLs are public.')
@secure()
param runbookContentQuery string

@description('Most replicas the bot may scale out to (PostgreSQL keeps their state consistent).')
@minValue(1)
@maxValue(10)
param maxReplicas int = 3

var suffix = take(uniqueString(resourceGroup().id, prefix), 6)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-id'
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    prefix: prefix
    location: location
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    prefix: prefix
    suffix: suffix
    location: location
    adminLogin: postgresAdminLogin
    adminPassword: postgresAdminPassword
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    prefix: prefix
    suffix: suffix
    location: location
    readerPrincipalId: identity.properties.principalId
    teamsAppPassword: teamsAppPassword
    databaseUrl: 'postgresql://${postgresAdminLogin}:${postgresAdminPassword}@${postgres.outputs.fqdn}:5432/${postgres.outputs.databaseName}?sslmode=require'
  }
}

module automation 'modules/automation.bicep' = {
  name: 'automation'
  params: {
    prefix: prefix
    location: location
    operatorPrincipalId: identity.properties.principalId
    runbookContentBaseUrl: runbookContentBaseUrl
    runbookContentQuery: runbookContentQuery
  }
}

module app 'modules/container-app.bicep' = {
  name: 'container-app'
  params: {
    prefix: prefix
    location: location
    containerImage: containerImage
    registryName: registryName
    identityId: identity.id
    identityPrincipalId: identity.properties.principalId
    identityClientId: identity.properties.clientId
    workspaceName: monitoring.outputs.workspaceName
    teamsAppPasswordSecretUri: vault.outputs.teamsAppPasswordSecretUri
    databaseUrlSecretUri: vault.outputs.databaseUrlSecretUri
    teamsAppId: teamsAppId
    teamsTechnicians: teamsTechnicians
    teamsTechnicianConversation: teamsTechnicianConversation
    automationAccountName: automation.outputs.accountName
    maxReplicas: maxReplicas
  }
}

module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    prefix: prefix
    suffix: suffix
    teamsAppId: teamsAppId
    messagingEndpoint: 'https://${app.outputs.fqdn}/api/messages'
  }
}

module availability 'modules/availability.bicep' = {
  name: 'availability'
  params: {
    prefix: prefix
    location: location
    insightsName: monitoring.outputs.insightsName
    healthUrl: 'https://${app.outputs.fqdn}/healthz'
  }
}

@description('Public host name of the bot: winfix package teams --domain <this>.')
output botHost string = app.outputs.fqdn

@description('Messaging endpoint registered on the Azure Bot.')
output messagingEndpoint string = 'https://${app.outputs.fqdn}/api/messages'

@description('Automation account the runbooks live in (AZURE_AUTOMATION_ACCOUNT).')
output automationAccount string = automation.outputs.accountName

@description('Client id of the managed identity (AZURE_CLIENT_ID), used by the enrolment script to name the account.')
output identityClientId string = identity.properties.clientId
