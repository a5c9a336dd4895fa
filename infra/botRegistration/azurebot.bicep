// Azure Bot registration for Convene with the Microsoft Teams channel: a user-assigned managed identity bot
// (msaAppType 'UserAssignedMSI', msaAppMSIResourceId), as the Agents Toolkit's bot templates register it
// (OfficeDev/microsoft-365-agents-toolkit templates/…/infra/botRegistration/azurebot.bicep). Azure no longer creates
// MultiTenant bots (https://learn.microsoft.com/en-us/bot-framework/portal-register-bot).
// NOT compiled here: the Bicep CLI cannot be installed offline (design.md §7 "Tooling limits").

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botServiceName string = resourceBaseName
param botServiceSku string = 'F0'

@description('Client id of the bot\'s user-assigned managed identity: BOT_ID and the manifest\'s botId')
param identityClientId string

@description('Resource id of that managed identity')
param identityResourceId string

@description('Tenant of that managed identity: BOT_TENANT_ID')
param identityTenantId string

@description('Host name of the Web App, without scheme; messages go to https://<host>/api/messages')
param botAppDomain string

resource botService 'Microsoft.BotService/botServices@2021-03-01' = {
  kind: 'azurebot'
  location: 'global'
  name: botServiceName
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: identityClientId
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
    msaAppType: 'UserAssignedMSI'
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
