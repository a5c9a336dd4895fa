// Convene on Azure: App Service plan + Linux Web App (Node 24 LTS) + the bot's user-assigned managed identity +
// Azure Bot (UserAssignedMSI, Teams channel) + optional Azure Cache for Redis. Every variable of the runtime contract
// (design.md §6) is set as an app setting.
//
// The bot's identity follows today's Agents Toolkit bot templates (OfficeDev/microsoft-365-agents-toolkit
// templates/…/default-bot/infra/azure.bicep and botRegistration/azurebot.bicep): a user-assigned managed identity,
// assigned to the Web App, registered with msaAppType 'UserAssignedMSI'. Azure no longer creates MultiTenant bots
// ("Multi-tenant bot creation will be deprecated after July 31, 2025… use single-tenant or user-assigned managed
// identity going forward": https://learn.microsoft.com/en-us/bot-framework/portal-register-bot). The identity has no
// secret; botbuilder gets its tokens from the App Service identity endpoint. The Entra app for SSO, on-behalf-of and
// the sign-in link (aadApp/create) is separate and keeps its own client secret.
//
// Reviewed by hand against those templates: the Bicep CLI's npm wrappers download a binary, which cannot work in this
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

@description('Name of the bot\'s user-assigned managed identity (its client id becomes BOT_ID)')
param identityName string = resourceBaseName

// Entra app for SSO / on-behalf-of / sign-in link (aadApp/create)
param aadAppClientId string
@secure()
param aadAppClientSecret string
param aadAppTenantId string
param aadAppOauthAuthorityHost string = 'https://login.microsoftonline.com'

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

// The bot's identity: its client id is BOT_ID (the manifest's botId), and Bot Service trusts it in this tenant.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  location: location
  name: identityName
}

// The app ID URI Teams requests SSO tokens for (tokenExchangeResource / webApplicationInfo.resource), known only once
// the identity exists; aadApp/update writes it to the Entra app's identifierUris after this deployment.
var aadAppIdUri = 'api://botid-${identity.properties.clientId}'

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
      // Linux plans take the Node version from linuxFxVersion (WEBSITE_NODE_DEFAULT_VERSION is read on Windows only:
      // https://azure.github.io/PSRule.Rules.Azure/en/rules/Azure.AppService.NodeJsVersion). npm start runs
      // `node` from node_modules/.bin first, the pinned Node 24 the deployed package carries (README "Node").
      linuxFxVersion: 'NODE|24-lts'
      appCommandLine: 'npm start'
      alwaysOn: true
      ftpsState: 'FtpsOnly'
      minTlsVersion: '1.2'
      healthCheckPath: '/healthz'
    }
  }
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
}

var botEndpoint = 'https://${webApp.properties.defaultHostName}'

resource webAppSettings 'Microsoft.Web/sites/config@2022-09-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false' // `teamsapp deploy` installs and builds before zipDeploy
    RUNNING_ON_AZURE: '1'
    // Runtime contract (design.md §6). PORT is provided by App Service.
    // botbuilder's managed-identity credentials (MicrosoftAppType UserAssignedMSI): client id and tenant, no password.
    BOT_ID: identity.properties.clientId
    BOT_TENANT_ID: identity.properties.tenantId
    BOT_TYPE: 'UserAssignedMSI'
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
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
    botDisplayName: botDisplayName
  }
}

// Written back to env/.env.<env> by arm/deploy (https://aka.ms/teamsfx-actions/arm-deploy).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = botEndpoint
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output AAD_APP_ID_URI string = aadAppIdUri
