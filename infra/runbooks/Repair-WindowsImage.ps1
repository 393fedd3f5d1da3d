<#
.SYNOPSIS
    Repairs the component store with DISM /RestoreHealth, then system files with SFC /scannow.

.DESCRIPTION
    Damaged system files or a damaged component store make updates fail. DISM first repairs the store
    (downloading good copies from Windows Update or the configured repair source), SFC then repairs the
    system files from it. This runbook runs
        DISM.exe /Online /Cleanup-Image /RestoreHealth
        sfc.exe /scannow                  (with RunSfc Yes)
    and turns their results into JSON: exit codes (also as 0x... codes the bot can decode), DISM's
    "The restore operation completed successfully" and whether corruption was found and repaired, SFC's
    verdict ("did not find any integrity violations", "found corrupt files and successfully repaired them",
    "found corrupt files but was unable to fix some of them", "could not perform the requested operation",
    a pending repair that needs a restart). sfc.exe writes UTF-16 when its output is redirected; the output
    is decoded from the raw bytes. On Windows versions with another display language the verdict is read
    from the [SR] lines SFC writes to %SystemRoot%\Logs\CBS\CBS.log (always English).

    Windows 7 has no /RestoreHealth: DISM is skipped there and only SFC runs. SFC runs even when DISM
    failed, as the manual step tells the employee to do. Both can take 10-40 minutes.
    Idempotent: on a healthy PC a second run finds nothing to repair.

.PARAMETER RunSfc
    Yes to run sfc /scannow after DISM, No for DISM only.

.EXAMPLE
    .\Repair-WindowsImage.ps1 -RunSfc Yes

.EXAMPLE
    .\Repair-WindowsImage.ps1 -RunSfc No -WhatIf

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before, after, dism: { ran, exitCode, code, status, restoreCompleted, corruptionRepaired, tail },
      sfc: { ran, exitCode, code, status, source, tail }, logs }
    dism.status: Healthy | Repaired | Completed | Failed | Skipped. sfc.status: NoViolations | Repaired |
    Unrepaired | RebootPending | Failed | Unknown | Skipped.

.NOTES
    Part of winfix (infra/runbooks). Never restarts the PC; rebootRequired says when a restart is due.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Yes', 'No')]
    [string]$RunSfc
)

$ErrorActionPreference = 'Stop'

$CbsLog = Join-Path -Path $env:SystemRoot -ChildPath 'Logs\CBS\CBS.log'
$DismLog = Join-Path -Path $env:SystemRoot -ChildPath 'Logs\DISM\dism.log'

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

function Get-OutputTail {
    # The last lines a technician wants to see, without DISM's progress bars and SFC's percentages.
    param([string[]]$Lines, [int]$Count = 6)
    $useful = @($Lines | Where-Object { $_ -notmatch '^\[[=\s0-9.,%]*\]$' -and $_ -notmatch '[0-9]+\s*%' })
    @($useful | Select-Object -Last $Count)
}

function Get-CbsLogLength {
    if (-not (Test-Path -LiteralPath $CbsLog)) { return 0 }
    (Get-Item -LiteralPath $CbsLog -Force).Length
}

function Get-SfcVerdictFromCbsLog {
    # [SR] lines written since Offset (the whole file when it was rotated meanwhile). CBS.log is held open by
    # TrustedInstaller, hence the FileShare.ReadWrite.
    param([int64]$Offset)
    if (-not (Test-Path -LiteralPath $CbsLog)) { return 'Unknown' }
    $stream = [System.IO.File]::Open($CbsLog, 'Open', 'Read', 'ReadWrite')
    try {
        if ($stream.Length -ge $Offset) { [void]$stream.Seek($Offset, 'Begin') }
        $reader = New-Object System.IO.StreamReader($stream)
        $srLines = @($reader.ReadToEnd() -split '[\r\n]+' | Where-Object { $_ -match '\[SR\]' })
    }
    finally { $stream.Dispose() }
    if ($srLines.Count -eq 0) { return 'Unknown' }
    if (@($srLines | Where-Object { $_ -match 'Cannot repair' }).Count -gt 0) { return 'Unrepaired' }
    # "[SR] Repair complete" is written even when nothing needed repair, so it proves nothing.
    if (@($srLines | Where-Object { $_ -match 'Repairing corrupted file|Repaired file|Repairing [1-9][0-9]* components' }).Count -gt 0) {
        return 'Repaired'
    }
    if (@($srLines | Where-Object { $_ -match 'Verify complete' }).Count -gt 0) { return 'NoViolations' }
    'Unknown'
}

function Invoke-Dism {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $report = [ordered]@{ ran = $false; exitCode = $null; code = $null; status = 'Skipped'; restoreCompleted = $false; corruptionRepaired = $false; tail = @() }
    $build = [int](Get-CimInstance -ClassName Win32_OperatingSystem).BuildNumber
    if ($build -lt 9200) {
        $report.tail = @('DISM /RestoreHealth needs Windows 8 or later; skipped on this Windows 7 PC')
        return [pscustomobject]$report
    }
    if ($PSCmdlet.ShouldProcess('component store', 'DISM /Online /Cleanup-Image /RestoreHealth')) {
        $dism = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'dism.exe') -ArgumentList '/Online', '/Cleanup-Image', '/RestoreHealth' -TimeoutSeconds 7200
        $text = $dism.Lines -join "`n"
        $report.ran = $true
        $report.exitCode = $dism.ExitCode
        $report.code = ConvertTo-HexCode -Value $dism.ExitCode
        $report.restoreCompleted = $text -match 'The restore operation completed successfully'
        $report.corruptionRepaired = $text -match 'component store corruption was repaired'
        $report.tail = Get-OutputTail -Lines $dism.Lines
        if ($dism.ExitCode -in @(0, 3010)) {
            $report.status = 'Completed'
            if ($report.corruptionRepaired) { $report.status = 'Repaired' }
            elseif ($text -match 'No component store corruption detected') { $report.status = 'Healthy' }
        }
        else {
            $report.status = 'Failed'
        }
    }
    [pscustomobject]$report
}

function Invoke-Sfc {
    [CmdletBinding(SupportsShouldProcess)]
    param()
    $report = [ordered]@{ ran = $false; exitCode = $null; code = $null; status = 'Skipped'; source = $null; tail = @() }
    if ($PSCmdlet.ShouldProcess('system files', 'sfc /scannow')) {
        $offset = Get-CbsLogLength
        $sfc = Invoke-NativeCommand -FilePath (Get-NativePath -Name 'sfc.exe') -ArgumentList '/scannow' -TimeoutSeconds 7200
        $text = $sfc.Lines -join "`n"
        $report.ran = $true
        $report.exitCode = $sfc.ExitCode
        $report.code = ConvertTo-HexCode -Value $sfc.ExitCode
        $report.tail = Get-OutputTail -Lines $sfc.Lines
        $report.source = 'output'
        $report.status = switch -Regex ($text) {
            'did not find any integrity violations' { 'NoViolations'; break }
            'found corrupt files and successfully repaired' { 'Repaired'; break }
            'found corrupt files but was unable to fix' { 'Unrepaired'; break }
            'system repair pending which requires reboot' { 'RebootPending'; break }
            'could not (perform the requested operation|start the repair service)' { 'Failed'; break }
            default { 'Unknown' }
        }
        if ($report.status -eq 'Unknown') {
            $report.source = 'CBS.log'
            $report.status = Get-SfcVerdictFromCbsLog -Offset $offset
        }
    }
    [pscustomobject]$report
}

$result = [ordered]@{
    runbook        = 'Repair-WindowsImage'
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
    dism           = $null
    sfc            = $null
    logs           = @($DismLog, $CbsLog)
}

try {
    Assert-Administrator
    $result.dism = Invoke-Dism
    if ($result.dism.ran) { $result.actions.Add(('DISM /RestoreHealth: {0} ({1})' -f $result.dism.status, $result.dism.code)) }
    if ($result.dism.status -eq 'Repaired') { $result.changed = $true }
    if ($result.dism.exitCode -eq 3010) { $result.rebootRequired = $true }
    if ($result.dism.status -eq 'Failed') {
        $result.errors.Add(('DISM /RestoreHealth failed with {0}: {1}' -f $result.dism.code, ($result.dism.tail -join ' ')))
    }

    if ($RunSfc -eq 'Yes') {
        $result.sfc = Invoke-Sfc
        if ($result.sfc.ran) { $result.actions.Add(('sfc /scannow: {0}' -f $result.sfc.status)) }
        switch ($result.sfc.status) {
            'Repaired' { $result.changed = $true; $result.rebootRequired = $true }
            'RebootPending' { $result.rebootRequired = $true; $result.errors.Add('sfc: a repair is pending; restart the PC and run this again') }
            'Unrepaired' { $result.errors.Add('sfc found corrupt files it could not repair (details: CBS.log)') }
            'Failed' { $result.errors.Add(('sfc could not run: {0}' -f ($result.sfc.tail -join ' '))) }
            'Unknown' { $result.errors.Add('could not read the verdict of sfc (see CBS.log)') }
        }
    }
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
