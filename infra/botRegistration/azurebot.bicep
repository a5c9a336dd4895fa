// Azure Bot registration for Convene with the Microsoft Teams channel.
// Reviewed against the Toolkit's infra/botRegistration/azurebot.bicep (TeamsFx-Samples bot-sso and the Toolkit
// bot templates); NOT compiled here: the Bicep CLI cannot be installed offline (design.md §7 "Tooling limits").

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botServiceName string = resourceBaseName
param botServiceSku string = 'F0'

@description('The bot\'s Entra app (client) id: BOT_ID')
param botAadAppClientId string

@description('Host name of the Web App, without scheme; messages go to https://<host>/api/messages')
param botAppDomain string

@allowed([
  'MultiTenant'
  'SingleTenant'
  'UserAssignedMSI'
])
param botAppType string = 'MultiTenant'

@description('Tenant of the bot\'s Entra app; required for SingleTenant and UserAssignedMSI')
param botTenantId string = ''

resource botService 'Microsoft.BotService/botServices@2021-03-01' = {
  kind: 'azurebot'
  location: 'global'
  name: botServiceName
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: botAppType
    msaAppTenantId: botAppType == 'MultiTenant' ? null : botTenantId
  }
  sku: {
    name: botServiceSku
  }
}

// Connect the bot to Microsoft Teams.
resource botServiceMsTeamsChannel 'Microsoft.BotService/botServices/channels@2021-03-01' = {
  parent: botService
  location: 'global'
  name: 'MsTeamsChannel'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

output botServiceName string = botService.name
