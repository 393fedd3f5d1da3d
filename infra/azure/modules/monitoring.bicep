// Log Analytics (the container's JSON log lines land here) and a workspace-based Application Insights.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Azure region.')
param location string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${prefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${prefix}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
  }
}

@description('Name of the Log Analytics workspace.')
output workspaceName string = workspace.name

@description('Name of Application Insights.')
output insightsName string = insights.name
