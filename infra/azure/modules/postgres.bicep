// Azure Database for PostgreSQL flexible server: the store that lets the bot run more than one replica.

@description('Prefix the resource names are derived from.')
param prefix string

@description('Suffix that makes the server name unique in Azure.')
param suffix string

@description('Azure region.')
param location string

@description('Administrator login.')
param adminLogin string

@description('Administrator password.')
@secure()
param adminPassword string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${prefix}-pg-${suffix}'
  location: location
  sku: {
    name: 'Standard_B1ms'
    tier: 'Burstable'
  }
  properties: {
    version: '16'
    administratorLogin: adminLogin
    administratorLoginPassword: adminPassword
    storage: { storageSizeGB: 32 }
    backup: {
      backupRetentionDays: 7
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
    network: { publicNetworkAccess: 'Enabled' }
  }
}

// 0.0.0.0 to 0.0.0.0 is Azure's notation for "connections from Azure services" (the Container Apps
// environment has no fixed outbound address on the consumption plan); see README for the VNet option.
resource azureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: server
  name: 'AllowAzureServices'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: 'winfix'
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

@description('Host name of the server.')
output fqdn string = server.properties.fullyQualifiedDomainName

@description('Name of the database winfix uses.')
output databaseName string = database.name
