// Convene on Azure: App Service plan + Linux Web App (Node 20) + Azure Bot (Teams channel) + optional Azure Cache
// for Redis. Every variable of the runtime contract (design.md §6) is set as an app setting.
//
// Reviewed by hand against the Toolkit templates (TeamsFx-Samples bot-sso infra/azure.bicep and
// infra/botRegistration/azurebot.bicep): the Bicep CLI's npm wrappers download a binary, which cannot work in this
// offline workspace, so this file has NOT been compiled (`bicep build`) here. Run `az bicep build --file
// infra/azure.bicep` once where the CLI is available.

@maxLength(20)
@minLength(4)
@description('Used to generate names for all resources in this file')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param webAppSKU string = 'B1'
param serverfarmsName string = resourceBaseName
param webAppName string = resourceBaseName
param location string = resourceGroup().location

// Bot identity (botAadApp/create)
@description('BOT_ID: the bot\'s Entra app (client) id')
param botAadAppClientId string
@secure()
@description('BOT_PASSWORD')
param botAadAppClientSecret string
@allowed([
  'MultiTenant'
  'SingleTenant'
  'UserAssignedMSI'
])
param botType string = 'MultiTenant'
param botTenantId string = ''

// Entra app for SSO / on-behalf-of / sign-in link (aadApp/create)
param aadAppClientId string
@secure()
param aadAppClientSecret string
param aadAppTenantId string
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'
@description('The app ID URI Teams gets SSO tokens for: api://botid-<BOT_ID>')
param aadAppIdUri string

// Convene settings
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'
@allowed([
  'delegated'
  'application'
])
param meetingsAuthMode string = 'delegated'
@allowed([
  'true'
  'false'
])
param teamsSso string = 'true'
@secure()
@description('HMAC key shared by every instance (sign-in state, .ics links)')
param signingSecret string

@allowed([
  'true'
  'false'
])
@description('"true" provisions Azure Cache for Redis and sets REDIS_URL (needed for more than one instance)')
param enableRedis string = 'false'
param redisSkuName string = 'Basic'
param redisSkuCapacity int = 0

var redisEnabled = enableRedis == 'true'
var redisName = '${resourceBaseName}-redis'

resource serverfarm 'Microsoft.Web/serverfarms@2022-09-01' = {
  kind: 'linux'
  location: location
  name: serverfarmsName
  sku: {
    name: webAppSKU
  }
  properties: {
    reserved: true // Linux
  }
}

resource redis 'Microsoft.Cache/redis@2023-08-01' = if (redisEnabled) {
  name: redisName
  location: location
  properties: {
    sku: {
      name: redisSkuName
      family: 'C'
      capacity: redisSkuCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
  }
}

// rediss:// (TLS) on 6380, the only port open with enableNonSslPort false; empty when Redis is off.
var redisUrl = redisEnabled ? 'rediss://:${redis.listKeys().primaryKey}@${redis.properties.hostName}:6380' : ''

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  kind: 'app,linux'
  location: location
  name: webAppName
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'FtpsOnly'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
    }
  }
}

var botEndpoint = 'https://${webApp.properties.defaultHostName}'

resource webAppSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    WEBSITE_NODE_DEFAULT_VERSION: '~20'
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false' // `teamsapp deploy` installs and builds before zipDeploy
    RUNNING_ON_AZURE: '1'
    // Runtime contract (design.md §6). PORT is provided by App Service.
    BOT_ID: botAadAppClientId
    BOT_PASSWORD: botAadAppClientSecret
    BOT_TENANT_ID: botTenantId
    BOT_TYPE: botType
    BOT_ENDPOINT: botEndpoint
    BOT_DOMAIN: webApp.properties.defaultHostName
    AAD_APP_CLIENT_ID: aadAppClientId
    AAD_APP_CLIENT_SECRET: aadAppClientSecret
    AAD_APP_TENANT_ID: aadAppTenantId
    AAD_APP_ID_URI: aadAppIdUri
    AAD_APP_OAUTH_AUTHORITY_HOST: aadAppOauthAuthorityHost
    GRAPH_BASE_URL: graphBaseUrl
    MEETINGS_AUTH_MODE: meetingsAuthMode
    TEAMS_SSO: teamsSso
    SIGNING_SECRET: signingSecret
    REDIS_URL: redisUrl
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botAadAppClientId: botAadAppClientId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
    botAppType: botType
    botTenantId: botTenantId
  }
}

// Written back to env/.env.<env> by arm/deploy (https://aka.ms/teamsfx-actions/arm-deploy).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = botEndpoint
