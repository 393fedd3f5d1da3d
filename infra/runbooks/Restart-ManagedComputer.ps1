<#
.SYNOPSIS
    Restarts this PC after a delay, with a notice to the signed-in user.

.DESCRIPTION
    Schedules a restart with
        shutdown.exe /r /t <DelaySeconds> /d p:4:1 /c "<notice>"
    so that the signed-in employee sees a notice saying who restarts the PC and when, and the System event
    log records a planned restart (event 1074, reason "Application: Maintenance (Planned)").
    With a delay above 0, shutdown.exe closes applications that do not close by themselves when the time
    is up: the notice asks the employee to save their work.

    Consent is enforced by the bot, not here: the employee asks for the restart in chat ("Run it for me")
    and a technician other than the employee approves it before this job is started. This runbook asks
    nobody and restarts whenever it is run - never start it by hand without the employee's agreement.

    Idempotent: if a restart is already scheduled (shutdown.exe exit code 1190), the existing one is kept
    and reported, and no second one is scheduled. To cancel a scheduled restart: shutdown.exe /a.
    The JSON is written before the restart begins; with DelaySeconds 0 the job may still be cut off by it.

.PARAMETER DelaySeconds
    Seconds to wait before restarting, 0-9999 (the knowledge base binds 300, five minutes).

.EXAMPLE
    .\Restart-ManagedComputer.ps1 -DelaySeconds 300

    Restarts the PC in five minutes.

.EXAMPLE
    .\Restart-ManagedComputer.ps1 -DelaySeconds 300 -WhatIf

    Reports the pending-restart state and what it would schedule, schedules nothing.

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { pendingRebootReasons, lastBootUpTime }, after: null, delaySeconds, scheduledFor,
      alreadyScheduled }

.NOTES
    Part of winfix (infra/runbooks).
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidatePattern('^[0-9]{1,4}$')]
    [string]$DelaySeconds
)

$ErrorActionPreference = 'Stop'

# ERROR_SHUTDOWN_IS_SCHEDULED: "A system shutdown has already been scheduled."
$AlreadyScheduled = 1190

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

$result = [ordered]@{
    runbook          = 'Restart-ManagedComputer'
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
    delaySeconds     = [int]$DelaySeconds
    scheduledFor     = $null
    alreadyScheduled = $false
}

try {
    Assert-Administrator
    $os = Get-CimInstance -ClassName Win32_OperatingSystem
    $result.before = [pscustomobject]@{
        pendingRebootReasons = @(Get-PendingRebootReason)
        lastBootUpTime       = $os.LastBootUpTime.ToUniversalTime().ToString('o')
    }
    $delay = [int]$DelaySeconds
    $minutes = [Math]::Ceiling($delay / 60)
    # The comment is what the employee sees in the restart notice (shutdown.exe allows 512 characters).
    $notice = 'IT support (winfix): this PC restarts in about {0} minute(s), as agreed in chat. Please save your work now.' -f $minutes
    if ($PSCmdlet.ShouldProcess($env:COMPUTERNAME, "Restart in $delay seconds")) {
        $shutdown = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'shutdown.exe') -ArgumentList '/r', '/t', $delay, '/d', 'p:4:1', '/c', ('"{0}"' -f $notice) -TimeoutSeconds 60
        if ($shutdown.ExitCode -eq 0) {
            $result.changed = $true
            $result.scheduledFor = (Get-Date).ToUniversalTime().AddSeconds($delay).ToString('o')
            $result.actions.Add(('restart scheduled in {0} seconds' -f $delay))
        }
        elseif ($shutdown.ExitCode -eq $AlreadyScheduled) {
            $result.alreadyScheduled = $true
            $result.actions.Add('a restart was already scheduled; kept it')
        }
        else {
            $result.errors.Add(('shutdown.exe failed with exit code {0}: {1}' -f $shutdown.ExitCode, ($shutdown.Lines -join ' ')))
        }
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
