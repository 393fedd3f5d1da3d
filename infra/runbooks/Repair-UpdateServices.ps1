<#
.SYNOPSIS
    Restores the default start type of the Windows Update services and starts them.

.DESCRIPTION
    Windows Update fails every time when a service it depends on is Disabled. For each service in the scope
    this runbook sets a Disabled service back to its Windows 10/11 default start type (a service that is
    Manual or Automatic is left as it is: both work, and management tools may have chosen one on purpose)
    and then starts the services that should be running.

    Scope Update: wuauserv (Manual), bits (Manual), cryptsvc (Automatic), TrustedInstaller (Manual).
    Scope All:    the above plus usosvc (Automatic, delayed), dosvc (Automatic, delayed), appidsvc (Manual),
                  msiserver (Manual) and LanmanWorkstation (Automatic; the Workstation service, which other
                  services depend on and which hardening scripts sometimes disable).

    Services that are not installed (usosvc and dosvc do not exist before Windows 10) are reported as absent,
    not as errors. When the service control manager refuses a change even to an administrator, the start
    type is written to the registry and takes effect after a restart (rebootRequired is then true).
    Idempotent: a second run finds nothing Disabled and every service already running.

.PARAMETER Scope
    Update for the core Windows Update services, All to include the orchestrator, Delivery Optimization,
    Application Identity, Windows Installer and the Workstation service (LanmanWorkstation).

.EXAMPLE
    .\Repair-UpdateServices.ps1 -Scope All

.EXAMPLE
    .\Repair-UpdateServices.ps1 -Scope Update -WhatIf

    Reports which services it would change and start, changes nothing.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      scope, before: [ { name, present, startType, state } ], after: [ ... ], disabledServices }

.NOTES
    Part of winfix (infra/runbooks). Start types are set with sc.exe because Set-Service in Windows
    PowerShell 5.1 cannot set "Automatic (Delayed Start)".
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Update', 'All')]
    [string]$Scope
)

$ErrorActionPreference = 'Stop'

# Windows 10/11 defaults. Windows 7/8.1 start some of these automatically, but Manual works there too: the
# services start on demand.
$DefaultStartType = [ordered]@{
    wuauserv          = 'Manual'
    bits              = 'Manual'
    cryptsvc          = 'Automatic'
    trustedinstaller  = 'Manual'
    usosvc            = 'AutomaticDelayed'
    dosvc             = 'AutomaticDelayed'
    appidsvc          = 'Manual'
    msiserver         = 'Manual'
    lanmanworkstation = 'Automatic'
}
$ScopeServices = @{
    Update = @('wuauserv', 'bits', 'cryptsvc', 'trustedinstaller')
    All    = @('wuauserv', 'bits', 'cryptsvc', 'trustedinstaller', 'usosvc', 'dosvc', 'appidsvc', 'msiserver', 'lanmanworkstation')
}
# Started now so that the next update check finds them running; the others start on demand.
$StartNow = @('lanmanworkstation', 'cryptsvc', 'bits', 'wuauserv', 'usosvc', 'dosvc')

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

function Set-ServiceStartType {
    # sc.exe, because Set-Service in Windows PowerShell 5.1 has no "Automatic (Delayed Start)". A service
    # whose security descriptor refuses the change (some update services do, even for administrators) gets
    # the registry values instead, which the service control manager reads at the next start of Windows.
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Mandatory)][string]$Name,
        [Parameter(Mandatory)][ValidateSet('Automatic', 'AutomaticDelayed', 'Manual')][string]$StartType
    )
    $scValue = @{ Automatic = 'auto'; AutomaticDelayed = 'delayed-auto'; Manual = 'demand' }[$StartType]
    $outcome = 'unchanged (WhatIf)'
    if ($PSCmdlet.ShouldProcess($Name, "Set start type to $StartType")) {
        $sc = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'sc.exe') -ArgumentList 'config', $Name, 'start=', $scValue -TimeoutSeconds 60
        if ($sc.ExitCode -eq 0) {
            $outcome = 'set'
        }
        elseif ($sc.ExitCode -eq 5) {
            $key = 'HKLM:\SYSTEM\CurrentControlSet\Services\{0}' -f $Name
            $start = 2
            if ($StartType -eq 'Manual') { $start = 3 }
            New-ItemProperty -Path $key -Name Start -Value $start -PropertyType DWord -Force | Out-Null
            New-ItemProperty -Path $key -Name DelayedAutostart -Value ([int]($StartType -eq 'AutomaticDelayed')) -PropertyType DWord -Force | Out-Null
            $outcome = 'set in the registry (takes effect after a restart)'
        }
        else {
            throw ('sc.exe config {0} failed with exit code {1}: {2}' -f $Name, $sc.ExitCode, ($sc.Lines -join ' '))
        }
    }
    $outcome
}

$result = [ordered]@{
    runbook          = 'Repair-UpdateServices'
    computer         = $env:COMPUTERNAME
    startedAt        = (Get-Date).ToUniversalTime().ToString('o')
    finishedAt       = $null
    whatIf           = [bool]$WhatIfPreference
    ok               = $true
    changed          = $false
    rebootRequired   = $false
    actions          = New-Object System.Collections.Generic.List[string]
    before           = $null
    after            = $null
    errors           = New-Object System.Collections.Generic.List[string]
    scope            = $Scope
    disabledServices = $null
}

try {
    Assert-Administrator
    $names = $ScopeServices[$Scope]
    $result.before = @(foreach ($name in $names) { Get-ServiceState -Name $name })

    foreach ($state in $result.before) {
        if (-not $state.present) {
            $result.actions.Add(('{0}: not installed on this Windows, skipped' -f $state.name))
            continue
        }
        if ($state.startType -ne 'Disabled') { continue }
        try {
            $outcome = Set-ServiceStartType -Name $state.name -StartType $DefaultStartType[$state.name]
            $result.actions.Add(('{0}: start type {1} -> {2}: {3}' -f $state.name, $state.startType, $DefaultStartType[$state.name], $outcome))
            if ($outcome -notlike '*WhatIf*') { $result.changed = $true }
            if ($outcome -like '*restart*') { $result.rebootRequired = $true }
        }
        catch { $result.errors.Add(('{0}: {1}' -f $state.name, $_.Exception.Message)) }
    }

    foreach ($name in $StartNow) {
        if ($names -notcontains $name) { continue }
        $state = Get-ServiceState -Name $name
        if (-not $state.present -or $state.startType -eq 'Disabled') { continue }
        try {
            $outcome = Start-WindowsService -Name $name
            $result.actions.Add(('{0}: {1}' -f $name, $outcome))
            if ($outcome -eq 'started') { $result.changed = $true }
        }
        catch { $result.errors.Add(('{0}: could not start: {1}' -f $name, $_.Exception.Message)) }
    }

    $result.after = @(foreach ($name in $names) { Get-ServiceState -Name $name })
    $result.disabledServices = @($result.after | Where-Object { $_.startType -eq 'Disabled' } | ForEach-Object { $_.name })
    if ($result.disabledServices.Count -gt 0 -and -not $result.whatIf -and -not $result.rebootRequired) {
        $result.errors.Add('still disabled: ' + ($result.disabledServices -join ', '))
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
