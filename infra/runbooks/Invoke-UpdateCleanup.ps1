<#
.SYNOPSIS
    Cleans up old Windows Update files and the component store.

.DESCRIPTION
    Leftovers of half-finished or superseded updates can confuse the next install and fill the disk.
    This runbook:
    1. runs Disk Cleanup's "Windows Update Cleanup" handler unattended: it sets StateFlags0117 on the
       VolumeCaches\Update Cleanup key, runs cleanmgr.exe /sagerun:117, waits for it (at most an hour) and
       removes the flag again, so that no other Disk Cleanup preset is touched;
    2. runs DISM.exe /Online /Cleanup-Image /StartComponentCleanup (Windows 8 and later), with /ResetBase
       when ResetBase is Yes (Windows 8.1 and later).

    /ResetBase removes the superseded versions of every component: afterwards the updates installed so far
    can no longer be uninstalled. The knowledge base therefore binds ResetBase No.
    Idempotent: a second run simply finds less to remove. A servicing operation that waits for a restart
    (DISM 0x800F0806 / CBS_E_PENDING) is reported, not retried.

.PARAMETER ResetBase
    Yes to add /ResetBase to the component cleanup (frees more space, makes installed updates permanent),
    No for a normal cleanup.

.EXAMPLE
    .\Invoke-UpdateCleanup.ps1 -ResetBase No

.EXAMPLE
    .\Invoke-UpdateCleanup.ps1 -ResetBase Yes -WhatIf

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { freeDiskGb }, after: { freeDiskGb }, freedGb, cleanmgr: { ran, exitCode },
      dism: { ran, exitCode, code, tail } }

.NOTES
    Part of winfix (infra/runbooks). cleanmgr runs as Local System here, so per-user caches are untouched.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Yes', 'No')]
    [string]$ResetBase
)

$ErrorActionPreference = 'Stop'

$SageSet = 117
$UpdateCleanupKey = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\VolumeCaches\Update Cleanup'

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

function Get-FreeDiskGb {
    $disk = Get-CimInstance -ClassName Win32_LogicalDisk -Filter ("DeviceID='{0}'" -f $env:SystemDrive)
    [Math]::Round([double]$disk.FreeSpace / 1gb, 2)
}

function Invoke-UpdateCleanupHandler {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $report = [ordered]@{ ran = $false; exitCode = $null }
    if (-not (Test-Path -LiteralPath $UpdateCleanupKey)) { return [pscustomobject]$report }
    $flag = 'StateFlags{0:D4}' -f $SageSet
    if ($PSCmdlet.ShouldProcess('Disk Cleanup: Windows Update Cleanup', "cleanmgr.exe /sagerun:$SageSet")) {
        New-ItemProperty -Path $UpdateCleanupKey -Name $flag -Value 2 -PropertyType DWord -Force | Out-Null
        try {
            $cleanmgr = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'cleanmgr.exe') -ArgumentList "/sagerun:$SageSet" -TimeoutSeconds 3600
            # cleanmgr may hand the work to a second instance and return early.
            $others = @(Get-Process -Name cleanmgr -ErrorAction SilentlyContinue)
            if ($others.Count -gt 0) { $others | Wait-Process -Timeout 3600 -ErrorAction SilentlyContinue }
            $report.ran = $true
            $report.exitCode = $cleanmgr.ExitCode
        }
        finally {
            Remove-ItemProperty -Path $UpdateCleanupKey -Name $flag -ErrorAction SilentlyContinue
        }
    }
    [pscustomobject]$report
}

function Invoke-ComponentCleanup {
    [CmdletBinding(SupportsShouldProcess)]
    param([Parameter(Mandatory)][int]$Build)
    $report = [ordered]@{ ran = $false; exitCode = $null; code = $null; tail = @() }
    if ($Build -lt 9200) {
        $report.tail = @('DISM /StartComponentCleanup needs Windows 8 or later; skipped')
        return [pscustomobject]$report
    }
    $arguments = @('/Online', '/Cleanup-Image', '/StartComponentCleanup')
    if ($ResetBase -eq 'Yes') {
        if ($Build -ge 9600) { $arguments += '/ResetBase' } else { $report.tail = @('/ResetBase needs Windows 8.1 or later; left out') }
    }
    if ($PSCmdlet.ShouldProcess('component store', ('DISM {0}' -f ($arguments -join ' ')))) {
        $dism = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'dism.exe') -ArgumentList $arguments -TimeoutSeconds 7200
        $report.ran = $true
        $report.exitCode = $dism.ExitCode
        $report.code = ConvertTo-HexCode -Value $dism.ExitCode
        $report.tail = @($report.tail) + @($dism.Lines | Where-Object { $_ -notmatch '[0-9]+(\.[0-9]+)?%' } | Select-Object -Last 4)
    }
    [pscustomobject]$report
}

$result = [ordered]@{
    runbook        = 'Invoke-UpdateCleanup'
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
    freedGb        = $null
    cleanmgr       = $null
    dism           = $null
}

try {
    Assert-Administrator
    $build = [int](Get-CimInstance -ClassName Win32_OperatingSystem).BuildNumber
    $result.before = [pscustomobject]@{ freeDiskGb = Get-FreeDiskGb }

    try {
        $result.cleanmgr = Invoke-UpdateCleanupHandler
        if ($result.cleanmgr.ran) { $result.actions.Add(('Disk Cleanup (Windows Update Cleanup): exit code {0}' -f $result.cleanmgr.exitCode)) }
        else { $result.actions.Add('Disk Cleanup: Windows Update Cleanup not run (handler missing or WhatIf)') }
    }
    catch { $result.errors.Add('cleanmgr: ' + $_.Exception.Message) }

    $result.dism = Invoke-ComponentCleanup -Build $build
    if ($result.dism.ran) {
        $result.actions.Add(('DISM /StartComponentCleanup: {0}' -f $result.dism.code))
        if ($result.dism.exitCode -eq 3010) { $result.rebootRequired = $true }
        elseif ($result.dism.exitCode -ne 0) {
            $result.errors.Add(('DISM /StartComponentCleanup failed with {0}: {1}' -f $result.dism.code, ($result.dism.tail -join ' ')))
        }
    }

    $result.after = [pscustomobject]@{ freeDiskGb = Get-FreeDiskGb }
    $result.freedGb = [Math]::Round($result.after.freeDiskGb - $result.before.freeDiskGb, 2)
    $result.changed = $result.freedGb -gt 0 -or [bool]$result.cleanmgr.ran -or [bool]$result.dism.ran
    if (Test-Path -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\RebootPending') {
        $result.rebootRequired = $true
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
