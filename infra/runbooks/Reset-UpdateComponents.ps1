<#
.SYNOPSIS
    Fully resets the Windows Update components: cache, BITS queue, service permissions, DLL registration.

.DESCRIPTION
    For when clearing the cache alone (Reset-UpdateCache) did not help. This runbook:
    1. clears the BITS job queue of all users (bitsadmin /reset /allusers) while BITS still runs;
    2. stops usosvc, dosvc, bits, wuauserv and cryptsvc (each only if installed and running). On Windows 10/11
       the renames fail with "Access is denied" while usosvc or dosvc runs, so if any of them does not stop,
       steps 3 and 4 are skipped and reported. Application Identity (appidsvc), which older instructions stop
       too, holds none of these files and is left alone;
    3. deletes the legacy BITS queue files qmgr*.dat;
    4. renames SoftwareDistribution and catroot2 to .old (same backup rule as Reset-UpdateCache: an earlier
       .old is removed first, else the new one gets a time-stamped name);
    5. only with ResetServiceSecurity Yes: restores the default security descriptors (DACL) of bits and
       wuauserv with sc.exe sdset, only where they differ (Microsoft's current strings, the same as the
       fourth block of the knowledge base step reset-update-components); the previous descriptors are in
       the output, so that they can be put back. Microsoft advises this only when the other steps did not
       help, so it is off by default;
    6. re-registers the Windows Update, BITS, MSXML and crypto DLLs with regsvr32 /s (DLLs missing on this
       Windows version are skipped; DLLs without a registration entry point are reported, not errors);
    7. with ResetNetwork Yes, resets the Winsock catalog (netsh winsock reset). The WinHTTP proxy is
       reported but NOT reset: on a corporate network that would cut Windows Update off its proxy;
    8. starts the services again (cryptsvc, bits, wuauserv, dosvc, usosvc and whatever was running before).

    A restart is needed afterwards (rebootRequired); this runbook never restarts by itself - the bot offers
    Restart-ManagedComputer. Idempotent: a second run finds the descriptors already right, removes the
    previous backups, and re-registering or resetting Winsock again is harmless.

.PARAMETER ResetNetwork
    Yes to also reset the Winsock catalog (removes layered service providers some old VPN or security
    products install), No to leave networking alone.

.PARAMETER ResetServiceSecurity
    Yes to also restore the default security descriptors of the BITS and Windows Update services (only when
    a reset without it and a restart did not help), No (the default) to leave service permissions alone.

.EXAMPLE
    .\Reset-UpdateComponents.ps1 -ResetNetwork Yes

.EXAMPLE
    .\Reset-UpdateComponents.ps1 -ResetNetwork No -WhatIf

    Reports every change it would make, changes nothing.

.EXAMPLE
    .\Reset-UpdateComponents.ps1 -ResetNetwork No -ResetServiceSecurity Yes

    The last resort: the full reset plus the default service security descriptors.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { services, securityDescriptors }, after: { services, securityDescriptors, backups },
      folders, dlls: { registered, noEntryPoint, failed, missing }, winHttpProxy }

.NOTES
    Part of winfix (infra/runbooks). The descriptors are the ones Microsoft published for resetting Windows
    Update manually (also shown to the employee in the knowledge base step reset-update-components).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Yes', 'No')]
    [string]$ResetNetwork,

    [ValidateSet('No', 'Yes')]
    [string]$ResetServiceSecurity = 'No'
)

$ErrorActionPreference = 'Stop'

# Microsoft's current defaults, as in the fourth block of the knowledge base step reset-update-components.
$DefaultDacl = [ordered]@{
    bits     = 'D:(A;CI;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCLCSWLOCRRC;;;IU)(A;;CCLCSWLOCRRC;;;SU)'
    wuauserv = 'D:(A;;CCLCSWRPLORC;;;AU)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;BA)(A;;CCDCLCSWRPWPDTLOCRSDRCWDWO;;;SY)'
}
$Dlls = @(
    'atl.dll', 'urlmon.dll', 'mshtml.dll', 'shdocvw.dll', 'browseui.dll', 'jscript.dll', 'vbscript.dll', 'scrrun.dll',
    'msxml.dll', 'msxml3.dll', 'msxml6.dll', 'actxprxy.dll', 'softpub.dll', 'wintrust.dll', 'dssenh.dll', 'rsaenh.dll',
    'gpkcsp.dll', 'sccbase.dll', 'slbcsp.dll', 'cryptdlg.dll', 'oleaut32.dll', 'ole32.dll', 'shell32.dll', 'initpki.dll',
    'wuapi.dll', 'wuaueng.dll', 'wuaueng1.dll', 'wucltui.dll', 'wups.dll', 'wups2.dll', 'wuweb.dll', 'qmgr.dll',
    'qmgrprxy.dll', 'wucltux.dll', 'muweb.dll', 'wuwebv.dll'
)
$StopOrder = @('usosvc', 'dosvc', 'bits', 'wuauserv', 'cryptsvc')
$StartOrder = @('cryptsvc', 'bits', 'wuauserv', 'dosvc', 'usosvc')
$SoftwareDistribution = Join-Path -Path $env:SystemRoot -ChildPath 'SoftwareDistribution'
$Catroot2 = Join-Path -Path $env:SystemRoot -ChildPath 'System32\catroot2'
$Downloader = Join-Path -Path $env:ALLUSERSPROFILE -ChildPath 'Microsoft\Network\Downloader'

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

function Get-ServiceDacl {
    # The D: part of "sc.exe sdshow", without the audit (S:) part.
    param([Parameter(Mandatory)][string]$Name)
    $show = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'sc.exe') -ArgumentList 'sdshow', $Name -TimeoutSeconds 30
    $sddl = @($show.Lines | Where-Object { $_ -match '^D:' }) | Select-Object -First 1
    if ($show.ExitCode -ne 0 -or -not $sddl) { return $null }
    ($sddl -split 'S:')[0]
}

function Get-ComponentState {
    [pscustomobject]@{
        services            = @(foreach ($name in $StopOrder) { Get-ServiceState -Name $name })
        securityDescriptors = [pscustomobject]@{ bits = Get-ServiceDacl -Name 'bits'; wuauserv = Get-ServiceDacl -Name 'wuauserv' }
    }
}

$result = [ordered]@{
    runbook        = 'Reset-UpdateComponents'
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
    dlls           = $null
    winHttpProxy   = $null
}

$wasRunning = New-Object System.Collections.Generic.List[string]
try {
    Assert-Administrator
    $result.before = Get-ComponentState
    foreach ($state in $result.before.services) { if ($state.state -eq 'Running') { $wasRunning.Add($state.name) } }

    # 1. BITS queue of every user, through BITS itself while it runs.
    $bitsadmin = Get-NativePath -Name 'bitsadmin.exe'
    if ($wasRunning.Contains('bits') -and (Test-Path -LiteralPath $bitsadmin)) {
        if ($PSCmdlet.ShouldProcess('BITS', 'Cancel the transfer jobs of all users')) {
            $reset = Invoke-NativeCommand -FilePath $bitsadmin -ArgumentList '/reset', '/allusers' -TimeoutSeconds 120
            $result.actions.Add(('bitsadmin /reset /allusers: exit code {0}' -f $reset.ExitCode))
            $result.changed = $true
        }
    }

    # 2. Services.
    $stopped = $true
    foreach ($name in $StopOrder) {
        try {
            $stop = Stop-WindowsService -Name $name
            $result.actions.Add(('{0}: {1}' -f $name, $stop.result))
            foreach ($dependent in $stop.dependents) { if (-not $wasRunning.Contains($dependent)) { $wasRunning.Add($dependent) } }
        }
        catch {
            # Every one must stop: with usosvc or dosvc running, the renames fail with "Access is denied".
            $stopped = $false
            $result.errors.Add(('{0}: could not stop: {1}' -f $name, $_.Exception.Message))
        }
    }

    if ($stopped) {
        # 3. Legacy queue files.
        foreach ($file in @(Get-ChildItem -Path $Downloader -Filter 'qmgr*.dat' -Force -ErrorAction SilentlyContinue)) {
            if ($PSCmdlet.ShouldProcess($file.FullName, 'Delete the BITS queue file')) {
                Remove-Item -LiteralPath $file.FullName -Force
                $result.actions.Add(('deleted {0}' -f $file.FullName))
                $result.changed = $true
            }
        }

        # 4. Cache folders.
        $result.folders = @(foreach ($folder in @($SoftwareDistribution, $Catroot2)) {
                try {
                    $renamed = Rename-CacheFolder -Path $folder -HeldBy $StopOrder
                    $result.actions.Add(('{0}: {1} {2}' -f $folder, $renamed.result, $renamed.backup))
                    if ($renamed.result -eq 'renamed') { $result.changed = $true }
                    $renamed
                }
                catch { $result.errors.Add(('{0}: could not rename: {1}' -f $folder, $_.Exception.Message)) }
            })
    }
    else {
        $result.errors.Add('the cache was not reset because a service did not stop')
    }

    # 5. Security descriptors: only when asked for (Microsoft: only when the other steps did not help).
    if ($ResetServiceSecurity -eq 'Yes') {
        foreach ($name in @($DefaultDacl.Keys)) {
            $current = $result.before.securityDescriptors.$name
            if ($current -eq $DefaultDacl[$name]) {
                $result.actions.Add(('{0}: security descriptor already the default' -f $name))
                continue
            }
            if ($PSCmdlet.ShouldProcess($name, 'Restore the default security descriptor')) {
                $set = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'sc.exe') -ArgumentList 'sdset', $name, $DefaultDacl[$name] -TimeoutSeconds 30
                if ($set.ExitCode -eq 0) {
                    $result.actions.Add(('{0}: security descriptor restored (was {1})' -f $name, $current))
                    $result.changed = $true
                }
                else {
                    $result.errors.Add(('{0}: sc.exe sdset failed ({1}): {2}' -f $name, $set.ExitCode, ($set.Lines -join ' ')))
                }
            }
        }
    }
    else {
        $result.actions.Add('security descriptors left as they are (ResetServiceSecurity No)')
    }

    # 6. DLL registration. Exit codes of regsvr32: 0 done, 3 cannot load, 4 no DllRegisterServer, 5 failed.
    $dllReport = [ordered]@{ registered = @(); noEntryPoint = @(); failed = @(); missing = @() }
    if ($PSCmdlet.ShouldProcess(('{0} DLLs' -f $Dlls.Count), 'Re-register with regsvr32 /s')) {
        $regsvr32 = Get-NativePath -Name 'regsvr32.exe'
        foreach ($dll in $Dlls) {
            $path = Get-NativePath -Name $dll
            if (-not (Test-Path -LiteralPath $path)) { $dllReport.missing += $dll; continue }
            $register = Invoke-NativeCommand -FilePath $regsvr32 -ArgumentList '/s', ('"{0}"' -f $path) -TimeoutSeconds 120
            switch ($register.ExitCode) {
                0 { $dllReport.registered += $dll }
                4 { $dllReport.noEntryPoint += $dll }
                default { $dllReport.failed += ('{0} ({1})' -f $dll, $register.ExitCode) }
            }
        }
        $result.actions.Add(('re-registered {0} DLLs' -f $dllReport.registered.Count))
        if ($dllReport.registered.Count -gt 0) { $result.changed = $true }
    }
    $result.dlls = [pscustomobject]$dllReport

    # 7. Network.
    $proxy = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'netsh.exe') -ArgumentList 'winhttp', 'show', 'proxy' -TimeoutSeconds 30
    $result.winHttpProxy = $proxy.Lines -join ' '
    if ($ResetNetwork -eq 'Yes') {
        if ($PSCmdlet.ShouldProcess('Winsock catalog', 'Reset')) {
            $winsock = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'netsh.exe') -ArgumentList 'winsock', 'reset' -TimeoutSeconds 120
            if ($winsock.ExitCode -eq 0) {
                $result.actions.Add('netsh winsock reset')
                $result.changed = $true
            }
            else {
                $result.errors.Add(('netsh winsock reset failed ({0}): {1}' -f $winsock.ExitCode, ($winsock.Lines -join ' ')))
            }
        }
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}
finally {
    # 8. Start the services again, even after an error above (unless nothing was touched).
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
    $after = Get-ComponentState
    $backups = @(Get-Item -Path "$SoftwareDistribution.old*", "$Catroot2.old*" -Force -ErrorAction SilentlyContinue | ForEach-Object { $_.FullName })
    $after | Add-Member -NotePropertyName backups -NotePropertyValue $backups
    $result.after = $after
}
catch { $result.errors.Add('after: ' + $_.Exception.Message) }

$result.rebootRequired = [bool]$result.changed
$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
