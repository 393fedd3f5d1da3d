<#
.SYNOPSIS
    Starts the Windows Time service and resynchronises the clock now.

.DESCRIPTION
    Update downloads and signature checks fail when the clock is far off. This runbook:
    1. measures the clock offset against the configured time source (w32tm /stripchart; over HTTP when NTP
       is blocked);
    2. sets the Windows Time service (w32time) back to its default start type if it is Disabled (Manual
       outside a domain, Automatic in a domain) and starts it if it is stopped;
    3. outside a domain, when w32time has nothing to sync from (Local CMOS Clock), makes it sync from the
       configured NTP server list (time.windows.com,0x9 when the list is empty) - in a domain the domain
       hierarchy is left alone;
    4. runs w32tm /resync /rediscover (once more after 5 seconds if no time data was available yet);
    5. measures the offset again and reports an error when it is still more than 5 minutes.

    The time zone is reported, never changed: only the employee knows which one is right.
    Idempotent: a running service is not restarted, and resynchronising a correct clock changes nothing.

.EXAMPLE
    .\Sync-SystemClock.ps1

    Starts w32time if needed, resynchronises and reports the offset before and after.

.EXAMPLE
    .\Sync-SystemClock.ps1 -WhatIf

    Measures and reports what it would change, changes nothing.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { service, timeZone, domainJoined, source, clock, clockError },
      after: { service, source, clock, clockError }, clockSkewMinutes }

.NOTES
    Part of winfix (infra/runbooks). w32time refuses single corrections larger than MaxPosPhaseCorrection /
    MaxNegPhaseCorrection (W32Time\Config); the runbook reports those values and leaves them alone.
#>
[CmdletBinding(SupportsShouldProcess)]
param()

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

function Get-ClockState {
    param([switch]$WithTimeZone)
    $state = [ordered]@{ service = Get-ServiceState -Name 'w32time'; source = $null; clock = $null; clockError = $null }
    if ($WithTimeZone) { $state.timeZone = [TimeZoneInfo]::Local.Id }
    try {
        $state.source = Get-TimeSource
        $state.clock = Measure-ClockOffset -Source $state.source
    }
    catch { $state.clockError = $_.Exception.Message }
    [pscustomobject]$state
}

$result = [ordered]@{
    runbook          = 'Sync-SystemClock'
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
    clockSkewMinutes = $null
}

try {
    Assert-Administrator
    $w32tm = Get-NativePath -Name 'w32tm.exe'
    $domainJoined = [bool](Get-CimInstance -ClassName Win32_ComputerSystem).PartOfDomain
    $before = Get-ClockState -WithTimeZone
    $before | Add-Member -NotePropertyName domainJoined -NotePropertyValue $domainJoined
    $result.before = $before
    if (-not $before.service.present) { throw 'The Windows Time service (w32time) is not installed.' }

    if ($before.service.startType -eq 'Disabled') {
        $startType = 'Manual'
        if ($domainJoined) { $startType = 'Automatic' }
        $outcome = Set-ServiceStartType -Name 'w32time' -StartType $startType
        $result.actions.Add(('w32time start type {0}: {1}' -f $startType, $outcome))
        if ($outcome -notlike '*WhatIf*') { $result.changed = $true }
        if ($outcome -like '*restart*') { $result.rebootRequired = $true }
    }

    $started = Start-WindowsService -Name 'w32time'
    $result.actions.Add("w32time: $started")
    if ($started -eq 'started') { $result.changed = $true }

    if (-not $domainJoined) {
        $query = Invoke-NativeCommand -FilePath $w32tm -ArgumentList '/query', '/source' -TimeoutSeconds 30
        $current = ''
        if ($query.Lines.Count -gt 0) { $current = $query.Lines[0] }
        if ($query.ExitCode -ne 0 -or $current -match '\s') {
            $peers = (Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time\Parameters' -Name NtpServer -ErrorAction SilentlyContinue).NtpServer
            if (-not $peers) { $peers = 'time.windows.com,0x9' }
            if ($PSCmdlet.ShouldProcess('w32time', "Sync from the NTP server list '$peers'")) {
                $config = Invoke-NativeCommand -FilePath $w32tm -ArgumentList ('/config /manualpeerlist:"{0}" /syncfromflags:manual /update' -f $peers) -TimeoutSeconds 60
                if ($config.ExitCode -ne 0) {
                    throw ('w32tm /config failed ({0}): {1}' -f (ConvertTo-HexCode -Value $config.ExitCode), ($config.Lines -join ' '))
                }
                $result.actions.Add("w32time now syncs from $peers (was: $current)")
                $result.changed = $true
            }
        }
    }

    if ($PSCmdlet.ShouldProcess('w32time', 'Resynchronise the clock now')) {
        $resync = Invoke-NativeCommand -FilePath $w32tm -ArgumentList '/resync', '/rediscover' -TimeoutSeconds 120
        if ($resync.ExitCode -ne 0) {
            # Just started or just rediscovered: no sample yet (0x800705B4 "no time data was available").
            Start-Sleep -Seconds 5
            $resync = Invoke-NativeCommand -FilePath $w32tm -ArgumentList '/resync' -TimeoutSeconds 120
        }
        if ($resync.ExitCode -eq 0) {
            $result.actions.Add('w32tm /resync: the clock was resynchronised')
            $result.changed = $true
        }
        else {
            $result.errors.Add(('w32tm /resync failed ({0}): {1}' -f (ConvertTo-HexCode -Value $resync.ExitCode), ($resync.Lines -join ' ')))
        }
    }

    $after = Get-ClockState
    $result.after = $after
    if ($after.clock) {
        $result.clockSkewMinutes = [Math]::Round([Math]::Abs($after.clock.offsetSeconds) / 60, 1)
        if (-not $result.whatIf -and $result.clockSkewMinutes -gt 5) {
            $config = Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\W32Time\Config' -ErrorAction SilentlyContinue
            $result.errors.Add(('the clock is still {0} minutes off; w32time corrects at most MaxPosPhaseCorrection={1} / MaxNegPhaseCorrection={2} seconds at once' -f $result.clockSkewMinutes, $config.MaxPosPhaseCorrection, $config.MaxNegPhaseCorrection))
        }
    }
    elseif ($after.clockError) {
        $result.errors.Add('could not measure the clock afterwards: ' + $after.clockError)
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
