<#
.SYNOPSIS
    Read-only Windows Update health check of this PC, as one JSON object.

.DESCRIPTION
    Collects what the planner needs to order the remediation steps, and what a technician looks at first:
    OS build and edition, free space on the system drive, clock skew against the configured time source,
    start type and state of the update services, pending reboot, size of the SoftwareDistribution
    folder, recent Windows Update installation failures (System log, Microsoft-Windows-WindowsUpdateClient
    event 20), third-party antivirus (SecurityCenter2) and proxy settings (WinHTTP and the signed-in
    user's).

    Changes nothing. Every section is measured on its own: one that fails is reported in "errors" and left
    null, the others are still reported. Keys shared with the planner's facts keep their names and types:
    freeDiskGb, clockSkewMinutes, disabledServices (lowercase), pendingReboot, thirdPartyAv. null means
    "not measured".

    Runs on a Hybrid Runbook Worker (Windows PowerShell 5.1, usually as Local System).

.PARAMETER EventDays
    How many days of the System event log to search for Windows Update failures (1-99, default 7).

.EXAMPLE
    .\Get-UpdateHealth.ps1 -EventDays 30

    Reports the health of this PC and the update failures of the last 30 days.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, before, after,
      errors, osName, osBuild, osVersion, displayVersion, edition, freeDiskGb, clockSkewMinutes, clock,
      services, disabledServices, pendingReboot, pendingRebootReasons, softwareDistributionMb,
      recentFailures, failedKbs, thirdPartyAv, antivirus, proxy }

.NOTES
    Part of winfix (infra/runbooks). Read-only: ShouldProcess guards nothing here because nothing changes,
    but -WhatIf is accepted like in every other runbook.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter()]
    [ValidatePattern('^[1-9][0-9]?$')]
    [string]$EventDays = '7'
)

$ErrorActionPreference = 'Stop'

$UpdateServices = @('wuauserv', 'bits', 'cryptsvc', 'TrustedInstaller', 'usosvc', 'dosvc')

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

function Get-TimeSource {
    # The peer w32time syncs from; when the service is stopped or uses the local clock, the configured NTP
    # server; last resort time.windows.com (the Windows default for PCs outside a domain).
    $query = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'w32tm.exe') -ArgumentList '/query', '/source' -TimeoutSeconds 30
    $source = $null
    if ($query.ExitCode -eq 0 -and $query.Lines.Count -gt 0) { $source = ($query.Lines[0] -split ',')[0].Trim() }
    # Host names have no spaces; "Local CMOS Clock", "Free-running System Clock" (localized too) do.
    if (-not $source -or $source -match '\s') {
        $ntpServer = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' -Name NtpServer -ErrorAction SilentlyContinue).NtpServer
        $first = @([string]$ntpServer -split '\s+' | Where-Object { $_ -ne '' }) | Select-Object -First 1
        if ($first) { $source = ($first -split ',')[0] } else { $source = 'time.windows.com' }
    }
    $source
}

function Measure-ClockOffset {
    # Offset in seconds as w32tm /stripchart reports it (sign: reference minus local); over HTTP (the Date
    # header of Microsoft's connectivity check) when NTP is blocked. One second resolution is plenty here.
    param([Parameter(Mandatory)][string]$Source)
    $chart = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'w32tm.exe') -ArgumentList '/stripchart', "/computer:$Source", '/samples:3', '/dataonly' -TimeoutSeconds 60
    $offsets = @(foreach ($line in $chart.Lines) {
            if ($line -match ',\s*([+-]?[0-9]+(?:[.,][0-9]+)?)s$') {
                [double]::Parse(($Matches[1] -replace ',', '.'), [Globalization.CultureInfo]::InvariantCulture)
            }
        })
    if ($offsets.Count -gt 0) {
        return [pscustomobject]@{ source = $Source; method = 'ntp'; offsetSeconds = [Math]::Round($offsets[$offsets.Count - 1], 3) }
    }
    $request = [System.Net.WebRequest]::Create('http://www.msftconnecttest.com/connecttest.txt')
    $request.Method = 'HEAD'
    $request.Timeout = 15000
    $response = $request.GetResponse()
    try { $date = $response.Headers['Date'] } finally { $response.Close() }
    $reference = [DateTimeOffset]::Parse($date, [Globalization.CultureInfo]::InvariantCulture).UtcDateTime
    [pscustomobject]@{
        source        = 'www.msftconnecttest.com'
        method        = 'http'
        offsetSeconds = [Math]::Round(($reference - [DateTime]::UtcNow).TotalSeconds, 0)
    }
}

function Get-FolderSizeMb {
    param([Parameter(Mandatory)][string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return $null }
    $bytes = (Get-ChildItem -LiteralPath $Path -Recurse -Force -File -ErrorAction SilentlyContinue | Measure-Object -Property Length -Sum).Sum
    [Math]::Round([double]$bytes / 1mb)
}

function Get-PendingRebootReason {
    $cbs = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing'
    if (Test-Path -Path "$cbs\RebootPending") { 'CBS RebootPending' }
    if (Test-Path -Path "$cbs\RebootInProgress") { 'CBS RebootInProgress' }
    if (Test-Path -Path "$cbs\PackagesPending") { 'CBS PackagesPending' }
    if (Test-Path -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WindowsUpdate\Auto Update\RebootRequired') {
        'WindowsUpdate RebootRequired'
    }
    $renames = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Session Manager' -Name PendingFileRenameOperations -ErrorAction SilentlyContinue).PendingFileRenameOperations
    if (@($renames | Where-Object { $_ }).Count -gt 0) { 'PendingFileRenameOperations' }
    $volatile = (Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Updates' -Name UpdateExeVolatile -ErrorAction SilentlyContinue).UpdateExeVolatile
    if ($volatile) { 'UpdateExeVolatile' }
    $names = 'HKLM:\SYSTEM\CurrentControlSet\Control\ComputerName'
    $active = (Get-ItemProperty -Path "$names\ActiveComputerName" -Name ComputerName -ErrorAction SilentlyContinue).ComputerName
    $pending = (Get-ItemProperty -Path "$names\ComputerName" -Name ComputerName -ErrorAction SilentlyContinue).ComputerName
    if ($active -and $pending -and $active -ne $pending) { 'ComputerRename' }
}

function Get-UpdateFailure {
    # Event 20 = "Installation Failure"; its EventData names errorCode and updateTitle in every language.
    param([Parameter(Mandatory)][int]$Days)
    $filter = @{
        LogName      = 'System'
        ProviderName = 'Microsoft-Windows-WindowsUpdateClient'
        Id           = 20
        StartTime    = (Get-Date).AddDays(-$Days)
    }
    try {
        $records = @(Get-WinEvent -FilterHashtable $filter -MaxEvents 50 -ErrorAction Stop)
    }
    catch {
        if ($_.FullyQualifiedErrorId -like 'NoMatchingEventsFound*') { return }
        throw
    }
    foreach ($record in $records) {
        $data = @{}
        foreach ($node in ([xml]$record.ToXml()).Event.EventData.Data) { $data[$node.GetAttribute('Name')] = $node.InnerText }
        $code = $data['errorCode']
        $title = $data['updateTitle']
        if (-not $code -and $record.Message -match '0x[0-9A-Fa-f]{8}') { $code = $Matches[0] }
        $kb = $null
        if ($title -match 'KB[0-9]{6,8}') { $kb = $Matches[0] }
        [pscustomobject]@{
            time  = $record.TimeCreated.ToUniversalTime().ToString('o')
            code  = if ($code) { ConvertTo-HexCode -Value $code } else { $null }
            title = $title
            kb    = $kb
        }
    }
}

function Get-AntivirusProduct {
    # SecurityCenter2 exists on client editions only; on Windows Server this throws (caller reports null).
    foreach ($product in @(Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName AntiVirusProduct -ErrorAction Stop)) {
        $state = '{0:x6}' -f [int]$product.productState
        [pscustomobject]@{
            name       = [string]$product.displayName
            enabled    = $state.Substring(2, 2) -in @('10', '11')
            upToDate   = $state.Substring(4, 2) -eq '00'
            thirdParty = [string]$product.displayName -notmatch 'Windows Defender|Microsoft Defender'
        }
    }
}

function Get-InteractiveUserSid {
    # The runbook runs as Local System, so HKCU is not the employee's: find the signed-in user's hive.
    $userName = (Get-CimInstance -ClassName Win32_ComputerSystem).UserName
    if ($userName) {
        return ([System.Security.Principal.NTAccount]$userName).Translate([System.Security.Principal.SecurityIdentifier]).Value
    }
    $explorer = @(Get-CimInstance -ClassName Win32_Process -Filter "Name='explorer.exe'") | Select-Object -First 1
    if ($explorer) { return (Invoke-CimMethod -InputObject $explorer -MethodName GetOwnerSid).Sid }
    $null
}

function Get-ProxySetting {
    $netsh = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'netsh.exe') -ArgumentList 'winhttp', 'show', 'proxy' -TimeoutSeconds 30
    # "Proxy Server(s) :  host:8080" / "Bypass List :  <local>"; localized labels, same "label :  value" shape.
    $values = @(foreach ($line in $netsh.Lines) { if ($line -match '^[^:]+?\s*:\s+(\S.*)$') { $Matches[1].Trim() } })
    $winHttp = [pscustomobject]@{
        direct = $values.Count -eq 0
        server = if ($values.Count -gt 0) { $values[0] } else { $null }
        bypass = if ($values.Count -gt 1) { $values[1] } else { $null }
    }
    $user = $null
    $sid = Get-InteractiveUserSid
    if ($sid) {
        $path = 'Registry::HKEY_USERS\{0}\Software\Microsoft\Windows\CurrentVersion\Internet Settings' -f $sid
        $settings = Get-ItemProperty -Path $path -ErrorAction SilentlyContinue
        if ($settings) {
            $user = [pscustomobject]@{
                sid           = $sid
                proxyEnable   = [bool]$settings.ProxyEnable
                proxyServer   = $settings.ProxyServer
                proxyOverride = $settings.ProxyOverride
                autoConfigUrl = $settings.AutoConfigURL
            }
        }
    }
    [pscustomobject]@{ winHttp = $winHttp; user = $user }
}

$result = [ordered]@{
    runbook                = 'Get-UpdateHealth'
    computer               = $env:COMPUTERNAME
    startedAt              = (Get-Date).ToUniversalTime().ToString('o')
    finishedAt             = $null
    whatIf                 = [bool]$WhatIfPreference
    ok                     = $true
    changed                = $false
    rebootRequired         = $false
    actions                = @()
    before                 = $null
    after                  = $null
    errors                 = New-Object System.Collections.Generic.List[string]
    osName                 = $null
    osBuild                = $null
    osVersion              = $null
    displayVersion         = $null
    edition                = $null
    freeDiskGb             = $null
    clockSkewMinutes       = $null
    clock                  = $null
    services               = @()
    disabledServices       = $null
    pendingReboot          = $null
    pendingRebootReasons   = @()
    softwareDistributionMb = $null
    recentFailures         = @()
    failedKbs              = @()
    thirdPartyAv           = $null
    antivirus              = $null
    proxy                  = $null
}

try {
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $currentVersion = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
    $result.osName = [string]$os.Caption
    $result.osBuild = [int]$os.BuildNumber
    $result.osVersion = [string]$os.Version
    if ($null -ne $currentVersion.UBR) { $result.osVersion = '{0}.{1}' -f $os.Version, $currentVersion.UBR }
    $result.displayVersion = if ($currentVersion.DisplayVersion) { $currentVersion.DisplayVersion } else { $currentVersion.ReleaseId }
    $result.edition = [string]$currentVersion.EditionID
}
catch { $result.errors.Add('os: ' + $_.Exception.Message) }

try {
    $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='{0}'" -f $env:SystemDrive)
    $result.freeDiskGb = [Math]::Round([double]$disk.FreeSpace / 1gb, 1)
}
catch { $result.errors.Add('disk: ' + $_.Exception.Message) }

try {
    $clock = Measure-ClockOffset -Source (Get-TimeSource)
    $result.clock = $clock
    $result.clockSkewMinutes = [Math]::Round([Math]::Abs($clock.offsetSeconds) / 60, 1)
}
catch { $result.errors.Add('clock: ' + $_.Exception.Message) }

try {
    $result.services = @(foreach ($name in $UpdateServices) { Get-ServiceState -Name $name })
    $result.disabledServices = @($result.services | Where-Object { $_.startType -eq 'Disabled' } | ForEach-Object { $_.name })
}
catch { $result.errors.Add('services: ' + $_.Exception.Message) }

try {
    $result.pendingRebootReasons = @(Get-PendingRebootReason)
    $result.pendingReboot = $result.pendingRebootReasons.Count -gt 0
}
catch { $result.errors.Add('pendingReboot: ' + $_.Exception.Message) }

try {
    $result.softwareDistributionMb = Get-FolderSizeMb -Path (Join-Path -Path $env:SystemRoot -ChildPath 'SoftwareDistribution')
}
catch { $result.errors.Add('softwareDistribution: ' + $_.Exception.Message) }

try {
    $result.recentFailures = @(Get-UpdateFailure -Days ([int]$EventDays))
    $result.failedKbs = @($result.recentFailures | Where-Object { $_.kb } | ForEach-Object { $_.kb } | Select-Object -Unique)
}
catch { $result.errors.Add('recentFailures: ' + $_.Exception.Message) }

try {
    $result.antivirus = @(Get-AntivirusProduct)
    $result.thirdPartyAv = @($result.antivirus | Where-Object { $_.thirdParty }).Count -gt 0
}
catch {
    # No SecurityCenter2 (Windows Server): not measured rather than an error.
    Write-Verbose ('antivirus: ' + $_.Exception.Message)
}

try { $result.proxy = Get-ProxySetting }
catch { $result.errors.Add('proxy: ' + $_.Exception.Message) }

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
