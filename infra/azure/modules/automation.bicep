// The Automation account, every runbook of infra/runbooks imported and published (Windows PowerShell 5.1,
// the Hybrid Runbook Workers' runtime), and the bot's identity allowed to start, read and stop jobs there.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Azure region.')
param location string

@description('Principal id of the bot\'s managed identity.')
param operatorPrincipalId string

@description('Base URL the .ps1 files are published from.')
param runbookContentBaseUrl string

@description('Query string appended to each runbook URL (a SAS token), or empty.')
@secure()
param runbookContentQuery string

// One entry per file of infra/runbooks (the file name is the runbook name); test/infra/azure-bicep.test.ts
// fails when a file is missing here.
var runbooks = [
  'Get-UpdateHealth'
  'Sync-SystemClock'
  'Repair-UpdateServices'
  'Reset-UpdateCache'
  'Reset-UpdateComponents'
  'Repair-WindowsImage'
  'Invoke-UpdateCleanup'
  'Repair-WimMountImagePath'
  'Install-CatalogUpdate'
  'Restart-ManagedComputer'
]

// Automation Job Operator: create, read, stop jobs and read their output and streams.
var jobOperatorRoleId = '4fe576fe-1146-4730-92eb-48519fa6bf9f'
// Automation Runbook Operator: read runbook properties, which creating a job of a runbook requires.
var runbookOperatorRoleId = '5fb5aef8-1081-4b8e-bb16-9d5d0385bab5'

resource account 'Microsoft.Automation/automationAccounts@2023-11-01' = {
  name: '${prefix}-automation'
  location: location
  properties: {
    sku: { name: 'Basic' }
    publicNetworkAccess: true
    disableLocalAuth: false
  }
}

resource published 'Microsoft.Automation/automationAccounts/runbooks@2023-11-01' = [
  for name in runbooks: {
    parent: account
    name: name
    location: location
    properties: {
      runbookType: 'PowerShell'
      logProgress: false
      logVerbose: false
      description: 'winfix runbook ${name} (infra/runbooks/${name}.ps1)'
      publishContentLink: {
        uri: '${runbookContentBaseUrl}/${name}.ps1${runbookContentQuery}'
      }
    }
  }
]

resource jobOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, operatorPrincipalId, jobOperatorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', jobOperatorRoleId)
    principalId: operatorPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource runbookOperator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, operatorPrincipalId, runbookOperatorRoleId)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', runbookOperatorRoleId)
    principalId: operatorPrincipalId
    principalType: 'ServicePrincipal'
  }
}

@description('Name of the Automation account.')
output accountName string = account.name
