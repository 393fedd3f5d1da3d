<#
.SYNOPSIS
    Rebuilds the Windows Update cache: SoftwareDistribution and, optionally, catroot2.

.DESCRIPTION
    A damaged or inconsistent download cache is one of the most common reasons updates fail. This runbook:
    1. stops usosvc, dosvc, wuauserv and bits (and cryptsvc when catroot2 is included), each only if it is
       installed and running, remembering which were running;
    2. renames %SystemRoot%\SoftwareDistribution to SoftwareDistribution.old and, with IncludeCatroot2 Yes,
       %SystemRoot%\System32\catroot2 to catroot2.old;
    3. deletes the BITS queue files qmgr*.dat (Windows 7/8.1; Windows 10 and later keep the queue in qmgr.db,
       which is left alone here - Reset-UpdateComponents clears the queue);
    4. starts the services again (cryptsvc, bits, wuauserv, dosvc, usosvc and anything that was running
       before); Windows builds fresh folders on the next update check.

    Idempotent: a SoftwareDistribution.old or catroot2.old left by an earlier run is removed first; if it
    cannot be removed, the new backup gets a time-stamped name (SoftwareDistribution.old-yyyyMMdd-HHmmss).
    Services already stopped or started, and services that do not exist on older Windows, are fine.
    A Disabled service is not enabled here (that is Repair-UpdateServices): it is reported as an error.
    The update history shown in Settings is empty afterwards; that is expected.

.PARAMETER IncludeCatroot2
    Yes to rename catroot2 too (stops Cryptographic Services for a few seconds), No for SoftwareDistribution
    only.

.EXAMPLE
    .\Reset-UpdateCache.ps1 -IncludeCatroot2 Yes

.EXAMPLE
    .\Reset-UpdateCache.ps1 -IncludeCatroot2 No -WhatIf

    Reports what it would stop and rename, changes nothing.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { softwareDistributionMb, catroot2Mb, services }, after: { softwareDistributionMb, catroot2Mb,
      services, backups }, folders: [ { path, result, backup } ] }

.NOTES
    Part of winfix (infra/runbooks). The backups can be deleted once updates install again; the next run
    deletes them anyway.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Yes', 'No')]
    [string]$IncludeCatroot2
)

$ErrorActionPreference = 'Stop'

function Get-NativePath {
    # A 32-bit host on 64-bit Windows is redirected from System32 to SysWOW64; Sysnative reaches the real one.
    param([Parameter(Mandatory)][string]$Name)
    $folder = 'System32'
    if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) { $folder = 'Sysnative' }
    Join-Path -Path (Join-Path -Path $env:SystemRoot -ChildPath $folder) -ChildPath $Name
}

function ConvertFrom-NativeOutput {
    # Console tools write either UTF-16LE (sfc.exe, some w32tm builds) or the OEM code page (DISM, netsh).
    param([byte[]]$Bytes)
    if (-not $Bytes -or $Bytes.Length -eq 0) { return '' }
    $pairs = [Math]::Min(512, [int][Math]::Floor($Bytes.Length / 2))
    $zeros = 0
    for ($i = 0; $i -lt $pairs; $i++) { if ($Bytes[2 * $i + 1] -eq 0) { $zeros++ } }
    $bom = $Bytes.Length -ge 2 -and $Bytes[0] -eq 255 -and $Bytes[1] -eq 254
    if ($bom -or ($pairs -gt 0 -and $zeros -gt ($pairs / 2))) {
        return [System.Text.Encoding]::Unicode.GetString($Bytes).TrimStart([char]0xFEFF)
    }
    $codePage = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Nls\CodePage' -Name OEMCP -ErrorAction SilentlyContinue).OEMCP
    if (-not $codePage) { $codePage = [Globalization.CultureInfo]::CurrentCulture.TextInfo.OEMCodePage }
    [System.Text.Encoding]::GetEncoding([int]$codePage).GetString($Bytes)
}

function Invoke-NativeCommand {
    # Runs a console program, reads its raw output bytes (see ConvertFrom-NativeOutput) and returns the exit
    # code and the non-empty lines. PowerShell's own capture of native output would throw on stderr under
    # $ErrorActionPreference = 'Stop' and mangle UTF-16.
    param(
        [Parameter(Mandatory)][string]$FilePath,
        [string[]]$ArgumentList = @(),
        [int]$TimeoutSeconds = 300
    )
    $startInfo = New-Object System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = $FilePath
    $startInfo.Arguments = $ArgumentList -join ' '
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($startInfo)
    $stdout = New-Object System.IO.MemoryStream
    $stderr = New-Object System.IO.MemoryStream
    $copyOut = $process.StandardOutput.BaseStream.CopyToAsync($stdout)
    $copyErr = $process.StandardError.BaseStream.CopyToAsync($stderr)
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill()
        throw ('{0} did not finish within {1} seconds' -f (Split-Path -Path $FilePath -Leaf), $TimeoutSeconds)
    }
    [void]$copyOut.Wait(10000)
    [void]$copyErr.Wait(10000)
    $text = (ConvertFrom-NativeOutput -Bytes $stdout.ToArray()) + "`n" + (ConvertFrom-NativeOutput -Bytes $stderr.ToArray())
    [pscustomobject]@{
        ExitCode = $process.ExitCode
        Lines    = @($text -split '[\r\n]+' | ForEach-Object { $_.Trim() } | Where-Object { $_ -ne '' })
    }
}

function Assert-Administrator {
    $principal = [Security.Principal.WindowsPrincipal]::new([Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'This runbook needs administrator rights (a Hybrid Runbook Worker normally runs it as Local System).'
    }
}

function Get-ServiceState {
    param([Parameter(Mandatory)][string]$Name)
    $service = Get-CimInstance -ClassName Win32_Service -Filter ("Name='{0}'" -f $Name)
    if (-not $service) {
        return [pscustomobject]@{ name = $Name.ToLowerInvariant(); present = $false; startType = $null; state = $null }
    }
    $startType = switch ($service.StartMode) {
        'Auto' { 'Automatic' }
        'Manual' { 'Manual' }
        'Disabled' { 'Disabled' }
        default { [string]$service.StartMode }
    }
    if ($startType -eq 'Automatic') {
        $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\{0}' -f $Name
        $delayed = (Get-ItemProperty -Path $key -Name DelayedAutostart -ErrorAction SilentlyContinue).DelayedAutostart
        if ($delayed -eq 1) { $startType = 'AutomaticDelayed' }
    }
    [pscustomobject]@{ name = $Name.ToLowerInvariant(); present = $true; startType = $startType; state = [string]$service.State }
}

function Start-WindowsService {
    # Starts a service unless it is running, waiting at most TimeoutSeconds. Returns what happened.
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)][string]$Name, [int]$TimeoutSeconds = 60)
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    if (-not $service) { return 'absent' }
    if ($service.Status -eq 'Running') { return 'already running' }
    $outcome = 'not started (WhatIf)'
    if ($PSCmdlet.ShouldProcess($Name, 'Start service')) {
        if ($service.Status -eq 'StopPending') { $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds($TimeoutSeconds)) }
        if ($service.Status -ne 'StartPending') { $service.Start() }
        $service.WaitForStatus('Running', [TimeSpan]::FromSeconds($TimeoutSeconds))
        $outcome = 'started'
    }
    $outcome
}

function Stop-WindowsService {
    # Stops a service (ServiceController stops the services that depend on it first), waiting at most
    # TimeoutSeconds; a service that is already stopped or not installed is fine. Returns the dependents that
    # were running, so that the caller can start them again.
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)][string]$Name, [int]$TimeoutSeconds = 60)
    $service = Get-Service -Name $Name -ErrorAction SilentlyContinue
    if (-not $service) { return [pscustomobject]@{ name = $Name; result = 'absent'; dependents = @() } }
    $dependents = @($service.DependentServices | Where-Object { $_.Status -eq 'Running' } | ForEach-Object { $_.Name })
    if ($service.Status -eq 'Stopped') { return [pscustomobject]@{ name = $Name; result = 'already stopped'; dependents = @() } }
    $outcome = 'not stopped (WhatIf)'
    if ($PSCmdlet.ShouldProcess($Name, 'Stop service')) {
        if ($service.Status -eq 'StartPending') { $service.WaitForStatus('Running', [TimeSpan]::FromSeconds($TimeoutSeconds)) }
        if ($service.Status -ne 'StopPending') { $service.Stop() }
        $service.WaitForStatus('Stopped', [TimeSpan]::FromSeconds($TimeoutSeconds))
        $outcome = 'stopped'
    }
    [pscustomobject]@{ name = $Name; result = $outcome; dependents = $dependents }
}

function Rename-CacheFolder {
    # Renames Path to "<name>.old" after removing the backup an earlier run left there. If that backup cannot
    # be removed (files in use, odd permissions), the new backup gets a time-stamped name instead: a second
    # run never fails because of the first. A missing folder is fine (Windows creates it again).
    # The services holding the folder are stopped again before each retry, because some (cryptsvc) are
    # restarted by Windows within seconds.
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)][string]$Path, [string[]]$HeldBy = @())
    $name = Split-Path -Path $Path -Leaf
    $parent = Split-Path -Path $Path -Parent
    if (-not (Test-Path -LiteralPath $Path)) { return [pscustomobject]@{ path = $Path; result = 'absent'; backup = $null } }
    $backup = Join-Path -Path $parent -ChildPath "$name.old"
    if (Test-Path -LiteralPath $backup) {
        if ($PSCmdlet.ShouldProcess($backup, 'Remove the backup left by an earlier reset')) {
            $rmdir = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'cmd.exe') -ArgumentList '/d', '/c', 'rmdir', '/s', '/q', ('"{0}"' -f $backup) -TimeoutSeconds 600
            Write-Verbose ('rmdir {0}: exit code {1}' -f $backup, $rmdir.ExitCode)
        }
        if (Test-Path -LiteralPath $backup) {
            $backup = Join-Path -Path $parent -ChildPath ('{0}.old-{1}' -f $name, (Get-Date -Format 'yyyyMMdd-HHmmss'))
        }
    }
    $outcome = 'not renamed (WhatIf)'
    if ($PSCmdlet.ShouldProcess($Path, ('Rename to {0}' -f (Split-Path -Path $backup -Leaf)))) {
        for ($attempt = 1; $attempt -le 5; $attempt++) {
            try {
                Rename-Item -LiteralPath $Path -NewName (Split-Path -Path $backup -Leaf)
                break
            }
            catch {
                if ($attempt -eq 5) { throw }
                foreach ($holder in $HeldBy) { [void](Stop-WindowsService -Name $holder) }
                Start-Sleep -Seconds 3
            }
        }
        $outcome = 'renamed'
    }
    [pscustomobject]@{ path = $Path; result = $outcome; backup = $backup }
}

function Get-FolderSizeMb {
    param([Parameter(Mandatory)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $bytes = (Get-ChildItem -LiteralPath $Path -Recurse -Force -File -ErrorAction SilentlyContinue | Measure-Object -Property Length -Sum).Sum
    [Math]::Round([double]$bytes / 1mb)
}

function Get-CacheState {
    param([string[]]$ServiceNames)
    [pscustomobject]@{
        softwareDistributionMb = Get-FolderSizeMb -Path $SoftwareDistribution
        catroot2Mb             = Get-FolderSizeMb -Path $Catroot2
        services               = @(foreach ($name in $ServiceNames) { Get-ServiceState -Name $name })
    }
}

$SoftwareDistribution = Join-Path -Path $env:SystemRoot -ChildPath 'SoftwareDistribution'
$Catroot2 = Join-Path -Path $env:SystemRoot -ChildPath 'System32\catroot2'
$Downloader = Join-Path -Path $env:ALLUSERSPROFILE -ChildPath 'Microsoft\Network\Downloader'
$withCatroot2 = $IncludeCatroot2 -eq 'Yes'
# Stop order: the orchestrator and Delivery Optimization first, so that they do not restart Windows Update.
$StopOrder = @('usosvc', 'dosvc', 'wuauserv', 'bits')
if ($withCatroot2) { $StopOrder += 'cryptsvc' }
$StartOrder = @('cryptsvc', 'bits', 'wuauserv', 'dosvc', 'usosvc')

$result = [ordered]@{
    runbook        = 'Reset-UpdateCache'
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
    folders        = @()
}

$wasRunning = New-Object System.Collections.Generic.List[string]
try {
    Assert-Administrator
    $result.before = Get-CacheState -ServiceNames $StartOrder
    foreach ($state in $result.before.services) { if ($state.state -eq 'Running') { $wasRunning.Add($state.name) } }

    $stopped = $true
    foreach ($name in $StopOrder) {
        try {
            $stop = Stop-WindowsService -Name $name
            $result.actions.Add(('{0}: {1}' -f $name, $stop.result))
            foreach ($dependent in $stop.dependents) { if (-not $wasRunning.Contains($dependent)) { $wasRunning.Add($dependent) } }
        }
        catch {
            # The reset needs Windows Update, BITS and Cryptographic Services stopped; the others only help.
            if ($name -in @('wuauserv', 'bits', 'cryptsvc')) { $stopped = $false }
            $result.errors.Add(('{0}: could not stop: {1}' -f $name, $_.Exception.Message))
        }
    }

    if ($stopped) {
        $folders = @($SoftwareDistribution)
        if ($withCatroot2) { $folders += $Catroot2 }
        $result.folders = @(foreach ($folder in $folders) {
                try {
                    $renamed = Rename-CacheFolder -Path $folder -HeldBy $StopOrder
                    $result.actions.Add(('{0}: {1} {2}' -f $folder, $renamed.result, $renamed.backup))
                    if ($renamed.result -eq 'renamed') { $result.changed = $true }
                    $renamed
                }
                catch { $result.errors.Add(('{0}: could not rename: {1}' -f $folder, $_.Exception.Message)) }
            })

        foreach ($file in @(Get-ChildItem -Path $Downloader -Filter 'qmgr*.dat' -Force -ErrorAction SilentlyContinue)) {
            if ($PSCmdlet.ShouldProcess($file.FullName, 'Delete the BITS queue file')) {
                try {
                    Remove-Item -LiteralPath $file.FullName -Force
                    $result.actions.Add(('deleted {0}' -f $file.FullName))
                    $result.changed = $true
                }
                catch { $result.errors.Add(('{0}: {1}' -f $file.FullName, $_.Exception.Message)) }
            }
        }
    }
    else {
        $result.errors.Add('nothing was renamed because a service did not stop; the services are started again')
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}
finally {
    # Always start the services again, even after an error above (unless nothing was touched).
    $toStart = @()
    if ($null -ne $result.before) { $toStart = $StartOrder + @($wasRunning | Where-Object { $StartOrder -notcontains $_ }) }
    foreach ($name in $toStart) {
        $state = Get-ServiceState -Name $name
        if (-not $state.present) { continue }
        if ($state.startType -eq 'Disabled') {
            if ($wasRunning.Contains($name) -or $name -in @('cryptsvc', 'bits', 'wuauserv')) {
                $result.errors.Add(('{0} is Disabled: run Repair-UpdateServices' -f $name))
            }
            continue
        }
        try {
            $outcome = Start-WindowsService -Name $name
            $result.actions.Add(('{0}: {1}' -f $name, $outcome))
        }
        catch { $result.errors.Add(('{0}: could not start: {1}' -f $name, $_.Exception.Message)) }
    }
}

try {
    $after = Get-CacheState -ServiceNames $StartOrder
    $backups = @(Get-Item -Path "$SoftwareDistribution.old*", "$Catroot2.old*" -Force -ErrorAction SilentlyContinue | ForEach-Object { $_.FullName })
    $after | Add-Member -NotePropertyName backups -NotePropertyValue $backups
    $result.after = $after
}
catch { $result.errors.Add('after: ' + $_.Exception.Message) }

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
