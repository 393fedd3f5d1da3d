<#
.SYNOPSIS
    Downloads and installs one named update (KB) on this PC; never restarts it.

.DESCRIPTION
    Installs the update the employee's Windows Update keeps failing on, without waiting for the regular
    update cycle. The update is found, downloaded and installed through the Windows Update Agent API
    (Microsoft.Update.Session): the same packages the Microsoft Update Catalog offers as .msu files, but
    WUA picks the one that applies to this PC (version, architecture, prerequisites such as the servicing
    stack update), verifies its signature and records it in the update history.

    1. If the KB is already installed (Get-HotFix, or WUA reports it installed), nothing is done.
    2. Search the update source this PC is configured for (WSUS / Windows Update for Business / Windows
       Update) for a not-installed update whose KBArticleIDs contain the number. When a WSUS server is
       configured and does not offer it, search Windows Update directly, unless the policy
       DoNotConnectToWindowsUpdateInternetLocations forbids it. The source used is in the output.
    3. Accept its licence terms, download it and install it. The result and whether a restart is needed
       are reported; the PC is never restarted here (the bot offers Restart-ManagedComputer).

    Not offered means: not applicable to this PC, superseded by a newer update, or not approved on WSUS;
    that is reported as an error with the search details.

    Why not download the .msu from catalog.update.microsoft.com: the catalog has no documented API (the
    search page and the download dialog are HTML meant for browsers), the right file has to be chosen among
    versions and architectures by scraping titles, and wusa.exe /quiet then gives only an exit code. See
    docs/decisions/0006-runbooks.md.

    Idempotent: a second run finds the update installed (or installed and waiting for a restart) and
    changes nothing.

.PARAMETER KbNumber
    The update, as KB followed by 6 to 8 digits, for example KB5065687.

.EXAMPLE
    .\Install-CatalogUpdate.ps1 -KbNumber KB5065687

.EXAMPLE
    .\Install-CatalogUpdate.ps1 -KbNumber KB5065687 -WhatIf

    Searches and reports what it would install, downloads and installs nothing.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors, kb,
      before: { installed }, after: { installed }, source, updates: [ { title, sizeMb, hidden } ],
      download: { resultCode, result, code }, install: { resultCode, result, code, updates } }

.NOTES
    Part of winfix (infra/runbooks). The WUA download and install calls work for a local process such as a
    Hybrid Runbook Worker; they are refused (E_ACCESSDENIED) in a remote PowerShell session.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^KB[0-9]{6,8}$')]
    [string]$KbNumber
)

$ErrorActionPreference = 'Stop'

# IUpdateSearcher.ServerSelection values.
$ServerDefault = 0
$ServerWindowsUpdate = 2
$ResultNames = @{ 0 = 'NotStarted'; 1 = 'InProgress'; 2 = 'Succeeded'; 3 = 'SucceededWithErrors'; 4 = 'Failed'; 5 = 'Aborted' }

function ConvertTo-HexCode {
    # 0x80070002 style, whether the value arrives as hex text, a signed or an unsigned 32-bit number.
    param([Parameter(Mandatory)][string]$Value)
    if ($Value -match '^0x([0-9a-fA-F]{1,8})$') { return '0x' + $Matches[1].ToUpperInvariant().PadLeft(8, '0') }
    if ($Value -match '^-?[0-9]+$') {
        $number = [int64]$Value
        if ($number -gt [int32]::MaxValue) { $number -= 4294967296 }
        return '0x{0:X8}' -f [int32]$number
    }
    $Value
}

function Assert-Administrator {
    $principal = [Security.Principal.WindowsPrincipal]::new([Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'This runbook needs administrator rights (a Hybrid Runbook Worker normally runs it as Local System).'
    }
}

function Test-HotFixInstalled {
    param([Parameter(Mandatory)][string]$Id)
    $null -ne (Get-HotFix -Id $Id -ErrorAction SilentlyContinue)
}

function Find-UpdateByKb {
    # Every update the source offers with this KB number, installed or not.
    param([Parameter(Mandatory)]$Session, [Parameter(Mandatory)][int]$ServerSelection, [Parameter(Mandatory)][string]$KbId)
    $searcher = $Session.CreateUpdateSearcher()
    $searcher.ServerSelection = $ServerSelection
    $searcher.Online = $true
    # Hidden updates are named explicitly: a search that does not mention IsHidden may leave them out.
    $criteria = "IsInstalled=0 and IsHidden=0 and Type='Software' or IsInstalled=0 and IsHidden=1 and Type='Software' or IsInstalled=1 and Type='Software'"
    $found = $searcher.Search($criteria)
    foreach ($update in $found.Updates) {
        if (@($update.KBArticleIDs) -contains $KbId) { $update }
    }
}

function Test-WsusConfigured {
    $policy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'
    $server = (Get-ItemProperty -Path $policy -Name WUServer -ErrorAction SilentlyContinue).WUServer
    $useServer = (Get-ItemProperty -Path "$policy\AU" -Name UseWUServer -ErrorAction SilentlyContinue).UseWUServer
    [bool]$server -and $useServer -eq 1
}

function Test-WindowsUpdateBlocked {
    $policy = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate'
    (Get-ItemProperty -Path $policy -Name DoNotConnectToWindowsUpdateInternetLocations -ErrorAction SilentlyContinue).DoNotConnectToWindowsUpdateInternetLocations -eq 1
}

$result = [ordered]@{
    runbook        = 'Install-CatalogUpdate'
    computer       = $env:COMPUTERNAME
    startedAt      = (Get-Date).ToUniversalTime().ToString('o')
    finishedAt     = $null
    whatIf         = [bool]$WhatIfPreference
    ok             = $true
    changed        = $false
    rebootRequired = $false
    actions        = New-Object System.Collections.Generic.List[string]
    before         = $null
    after          = $null
    errors         = New-Object System.Collections.Generic.List[string]
    kb             = $KbNumber
    source         = $null
    updates        = @()
    download       = $null
    install        = $null
}

try {
    Assert-Administrator
    $kbId = $KbNumber.Substring(2)
    $installed = Test-HotFixInstalled -Id $KbNumber
    $result.before = [pscustomobject]@{ installed = $installed }
    if ($installed) {
        $result.actions.Add("$KbNumber is already installed")
        $result.after = $result.before
    }
    else {
        $session = New-Object -ComObject Microsoft.Update.Session
        $session.ClientApplicationID = 'winfix Install-CatalogUpdate'
        $result.source = 'configured'
        $matching = @(Find-UpdateByKb -Session $session -ServerSelection $ServerDefault -KbId $kbId)
        if ($matching.Count -eq 0 -and (Test-WsusConfigured)) {
            if (Test-WindowsUpdateBlocked) {
                $result.actions.Add('WSUS does not offer it; policy forbids searching Windows Update directly')
            }
            else {
                $result.source = 'WindowsUpdate'
                $matching = @(Find-UpdateByKb -Session $session -ServerSelection $ServerWindowsUpdate -KbId $kbId)
            }
        }
        $result.updates = @(foreach ($update in $matching) {
                [pscustomobject]@{
                    title     = $update.Title
                    installed = [bool]$update.IsInstalled
                    sizeMb    = [Math]::Round([double]$update.MaxDownloadSize / 1mb)
                    hidden    = [bool]$update.IsHidden
                }
            })
        $toInstall = @($matching | Where-Object { -not $_.IsInstalled })

        if ($matching.Count -eq 0) {
            $result.errors.Add(('{0} is not offered to this PC by {1}: not applicable, superseded by a newer update, or not approved on WSUS' -f $KbNumber, $result.source))
        }
        elseif ($toInstall.Count -eq 0) {
            $result.actions.Add("$KbNumber is already installed (Windows Update Agent)")
        }
        else {
            $collection = New-Object -ComObject Microsoft.Update.UpdateColl
            foreach ($update in $toInstall) { [void]$collection.Add($update) }
            $titles = ($toInstall | ForEach-Object { $_.Title }) -join '; '

            if ($PSCmdlet.ShouldProcess($titles, 'Accept the licence terms and download')) {
                foreach ($update in $toInstall) {
                    if ($update.IsHidden) { $update.IsHidden = $false }
                    if (-not $update.EulaAccepted) { $update.AcceptEula() }
                }
                $downloader = $session.CreateUpdateDownloader()
                $downloader.Updates = $collection
                $download = $downloader.Download()
                $result.download = [pscustomobject]@{
                    resultCode = [int]$download.ResultCode
                    result     = $ResultNames[[int]$download.ResultCode]
                    code       = ConvertTo-HexCode -Value $download.HResult
                }
                $result.actions.Add(('download: {0}' -f $result.download.result))
                if ([int]$download.ResultCode -notin @(2, 3)) { throw ('the download failed with {0}' -f $result.download.code) }
            }

            if ($result.download -and $PSCmdlet.ShouldProcess($titles, 'Install')) {
                $installer = $session.CreateUpdateInstaller()
                if ($installer.IsBusy) { throw 'another installation is running; try again later' }
                if ($installer.RebootRequiredBeforeInstallation) { throw 'Windows must restart before anything else can be installed' }
                $installer.Updates = $collection
                $install = $installer.Install()
                $perUpdate = @(for ($i = 0; $i -lt $collection.Count; $i++) {
                        $updateResult = $install.GetUpdateResult($i)
                        [pscustomobject]@{
                            title  = $collection.Item($i).Title
                            result = $ResultNames[[int]$updateResult.ResultCode]
                            code   = ConvertTo-HexCode -Value $updateResult.HResult
                        }
                    })
                $result.install = [pscustomobject]@{
                    resultCode = [int]$install.ResultCode
                    result     = $ResultNames[[int]$install.ResultCode]
                    code       = ConvertTo-HexCode -Value $install.HResult
                    updates    = $perUpdate
                }
                $result.rebootRequired = [bool]$install.RebootRequired
                $result.actions.Add(('install: {0}{1}' -f $result.install.result, $(if ($result.rebootRequired) { ', restart required' } else { '' })))
                if ([int]$install.ResultCode -in @(2, 3)) { $result.changed = $true }
                else { $result.errors.Add(('the installation failed with {0}' -f $result.install.code)) }
            }
        }
        $result.after = [pscustomobject]@{ installed = (Test-HotFixInstalled -Id $KbNumber) -or ($result.changed -and -not $result.rebootRequired) }
    }
}
catch {
    # WUA failures arrive as a COMException wrapped in PowerShell's MethodInvocationException; its HRESULT
    # (0x8024xxxx = WU_E_*) is what the bot can decode.
    $base = $_.Exception.GetBaseException()
    $message = $_.Exception.Message
    if ($base -is [System.Runtime.InteropServices.COMException]) {
        $message = '{0} ({1})' -f $base.Message.Trim(), (ConvertTo-HexCode -Value $base.ErrorCode)
    }
    $result.errors.Add($message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
