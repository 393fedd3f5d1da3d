<#
.SYNOPSIS
Makes this PC an extension-based Hybrid Runbook Worker of the winfix Automation account, in a worker
group of its own, and prints the matching `winfix enroll add` line.

.DESCRIPTION
Run it as an administrator on the employee's PC, or push it with Intune (as a platform script with a
service principal certificate). The PC must already be an Azure Arc-enabled server (the Connected
Machine agent, `azcmagent connect`), because extension-based workers are Arc machines with the
HybridWorkerForWindows extension. The script then, through Azure Resource Manager:
1. reads the Arc machine of this PC and checks that it is connected;
2. creates the worker group "winfix-<computer name>" (no run-as credential: runbooks run as Local System);
3. adds the Arc machine to that group as a worker (unless it is in it already);
4. installs (or updates) the HybridWorkerForWindows extension pointed at the account's hybrid service URL;
5. prints `winfix enroll add IDENTITY COMPUTER GROUP` for the helpdesk to run.
With -WhatIf it only reads and says what it would change. It needs the Az.Accounts module.

.PARAMETER SubscriptionId
Subscription of the Automation account (AZURE_SUBSCRIPTION_ID of the bot).

.PARAMETER ResourceGroup
Resource group of the Automation account (AZURE_RESOURCE_GROUP of the bot).

.PARAMETER AutomationAccount
Name of the Automation account (AZURE_AUTOMATION_ACCOUNT of the bot).

.PARAMETER ArcResourceGroup
Resource group of this PC's Arc machine; the Automation account's group when empty.

.PARAMETER ArcMachineName
Name of this PC's Arc machine; the computer name when empty.

.PARAMETER Identity
The employee who uses this PC, as winfix knows them: teams:<Entra object id>, slack:<user id> or an
e-mail address. Printed in the enrolment line; a placeholder when empty.

.PARAMETER TenantId
Entra tenant to sign in to when there is no Azure session yet.

.PARAMETER ClientId
Application id of a service principal to sign in with (Intune); interactive sign-in when empty.

.PARAMETER CertificateThumbprint
Thumbprint of that service principal's certificate in the local machine store.

.EXAMPLE
.\Register-WinfixWorker.ps1 -SubscriptionId 00000000-0000-0000-0000-000000000000 -ResourceGroup winfix-rg -AutomationAccount winfix-automation -Identity alice@contoso.example
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')]
    [string]$SubscriptionId,

    [Parameter(Mandatory)]
    [string]$ResourceGroup,

    [Parameter(Mandatory)]
    [string]$AutomationAccount,

    [string]$ArcResourceGroup = '',

    [string]$ArcMachineName = '',

    [string]$Identity = '',

    [string]$TenantId = '',

    [string]$ClientId = '',

    [string]$CertificateThumbprint = ''
)

$ErrorActionPreference = 'Stop'

$GroupPrefix = 'winfix-'
$InvalidGroupCharacters = '[^A-Za-z0-9_.-]'
$AutomationApi = '2023-11-01'
$HybridCompute = '2024-07-10'

function Invoke-ArmRequest {
    param(
        [Parameter(Mandatory)][string]$Path,
        [string]$Method = 'GET',
        [object]$Body = $null,
        [switch]$AllowNotFound
    )
    $request = @{ Path = $Path; Method = $Method }
    if ($null -ne $Body) { $request['Payload'] = ($Body | ConvertTo-Json -Depth 10 -Compress) }
    $response = Invoke-AzRestMethod @request
    if ($AllowNotFound -and $response.StatusCode -eq 404) { return $null }
    if ($response.StatusCode -lt 200 -or $response.StatusCode -ge 300) {
        throw "$Method $Path failed with HTTP $($response.StatusCode): $($response.Content)"
    }
    if ($response.Content) { return $response.Content | ConvertFrom-Json }
    return $null
}

function Get-WorkerGroupName {
    param([Parameter(Mandatory)][string]$ComputerName)
    $netbios = ($ComputerName -split '\.')[0].ToLowerInvariant()
    $name = $GroupPrefix + ($netbios -replace $InvalidGroupCharacters, '-')
    return $name
}

function Connect-Azure {
    if (Get-AzContext -ErrorAction SilentlyContinue) { return }
    $connect = @{ Subscription = $SubscriptionId }
    if ($TenantId) { $connect['Tenant'] = $TenantId }
    if ($ClientId) {
        $connect['ServicePrincipal'] = $true
        $connect['ApplicationId'] = $ClientId
        $connect['CertificateThumbprint'] = $CertificateThumbprint
    }
    Connect-AzAccount @connect | Out-Null
}

Import-Module Az.Accounts
Connect-Azure
Set-AzContext -Subscription $SubscriptionId | Out-Null

$computer = $env:COMPUTERNAME
if (-not $ArcResourceGroup) { $ArcResourceGroup = $ResourceGroup }
if (-not $ArcMachineName) { $ArcMachineName = $computer }
$group = Get-WorkerGroupName -ComputerName $computer

$accountPath = "/subscriptions/$SubscriptionId/resourceGroups/$ResourceGroup/providers/Microsoft.Automation/automationAccounts/$AutomationAccount"
$machinePath = "/subscriptions/$SubscriptionId/resourceGroups/$ArcResourceGroup/providers/Microsoft.HybridCompute/machines/$ArcMachineName"

$account = Invoke-ArmRequest -Path "$($accountPath)?api-version=$AutomationApi"
$hybridServiceUrl = $account.properties.automationHybridServiceUrl
if (-not $hybridServiceUrl) { throw "$AutomationAccount has no automationHybridServiceUrl" }

$machine = Invoke-ArmRequest -Path "$($machinePath)?api-version=$HybridCompute" -AllowNotFound
if ($null -eq $machine) {
    throw "$computer is not an Azure Arc-enabled server ($ArcMachineName not found in $ArcResourceGroup): install the Connected Machine agent and run azcmagent connect first"
}
if ($machine.properties.status -ne 'Connected') {
    throw "the Arc machine $ArcMachineName is $($machine.properties.status), not Connected: check the Connected Machine agent (azcmagent show)"
}

$groupPath = "$accountPath/hybridRunbookWorkerGroups/$group"
if ($PSCmdlet.ShouldProcess($group, 'Create the Hybrid Runbook Worker group')) {
    Invoke-ArmRequest -Path "$($groupPath)?api-version=$AutomationApi" -Method PUT -Body @{ properties = @{} } | Out-Null
}

$workers = Invoke-ArmRequest -Path "$groupPath/hybridRunbookWorkers?api-version=$AutomationApi" -AllowNotFound
$already = @($workers.value | Where-Object { $_.properties.vmResourceId -eq $machine.id })
if ($already.Count -eq 0) {
    $workerId = [guid]::NewGuid().ToString()
    if ($PSCmdlet.ShouldProcess("$group/$workerId", "Add $ArcMachineName as a Hybrid Runbook Worker")) {
        Invoke-ArmRequest -Path "$groupPath/hybridRunbookWorkers/$($workerId)?api-version=$AutomationApi" -Method PUT -Body @{ properties = @{ vmResourceId = $machine.id } } | Out-Null
    }
}

$extension = @{
    location   = $machine.location
    properties = @{
        publisher               = 'Microsoft.Azure.Automation.HybridWorker'
        type                    = 'HybridWorkerForWindows'
        typeHandlerVersion      = '1.1'
        autoUpgradeMinorVersion = $true
        enableAutomaticUpgrade  = $true
        settings                = @{ AutomationAccountURL = $hybridServiceUrl }
    }
}
if ($PSCmdlet.ShouldProcess($ArcMachineName, 'Install the HybridWorkerForWindows extension')) {
    Invoke-ArmRequest -Path "$machinePath/extensions/HybridWorkerExtension?api-version=$HybridCompute" -Method PUT -Body $extension | Out-Null
}

$who = if ($Identity) { $Identity } else { 'IDENTITY' }
Write-Verbose "Run on the winfix host (replace IDENTITY when it is a placeholder):"
Write-Output "winfix enroll add $who $computer $group"
