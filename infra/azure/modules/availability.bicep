// An Application Insights standard availability test: GET /healthz from one location every 15 minutes
// (kept small so that it costs a few dollars a month), alerting material for the helpdesk's monitoring.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Azure region.')
param location string

@description('Name of Application Insights.')
param insightsName string

@description('URL of the bot\'s /healthz.')
param healthUrl string

resource insights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: insightsName
}

resource healthTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: '${prefix}-healthz'
  location: location
  kind: 'standard'
  tags: {
    'hidden-link:${insights.id}': 'Resource'
  }
  properties: {
    SyntheticMonitorId: '${prefix}-healthz'
    Name: '${prefix} /healthz'
    Kind: 'standard'
    Enabled: true
    Frequency: 900
    Timeout: 30
    RetryEnabled: true
    Locations: [{ Id: 'us-va-ash-azr' }]
    Request: {
      RequestUrl: healthUrl
      HttpVerb: 'GET'
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: true
      SSLCertRemainingLifetimeCheck: 7
    }
  }
}
