<#
.SYNOPSIS
    Restores the WIMMount driver's ImagePath registry value to its default.

.DESCRIPTION
    Windows Update mounts image files through the WIMMount file system filter. When the ImagePath value of
    HKLM\SYSTEM\CurrentControlSet\Services\WIMMount no longer points at the driver, updates fail with
    0x80070003. This runbook sets ImagePath back to system32\drivers\wimmount.sys (REG_EXPAND_SZ), the same
    as
        reg add HKLM\SYSTEM\CurrentControlSet\Services\WIMMount /v ImagePath /t REG_EXPAND_SZ /d system32\drivers\wimmount.sys /f

    It does not create a missing WIMMount key nor a missing wimmount.sys: both mean a damaged Windows image,
    which is Repair-WindowsImage's job; they are reported as errors.
    Idempotent: an ImagePath that already points at the driver (system32\drivers\wimmount.sys or
    \SystemRoot\system32\drivers\wimmount.sys, any letter case) is left alone. The new value is used after
    the next restart (rebootRequired).

.EXAMPLE
    .\Repair-WimMountImagePath.ps1

.EXAMPLE
    .\Repair-WimMountImagePath.ps1 -WhatIf

.OUTPUTS
    System.String. One compressed JSON object on the last output line:
    { runbook, computer, startedAt, finishedAt, whatIf, ok, changed, rebootRequired, actions, errors,
      before: { imagePath, kind, driverFileExists }, after: { imagePath, kind, driverFileExists } }

.NOTES
    Part of winfix (infra/runbooks).
#>
[CmdletBinding(SupportsShouldProcess)]
param()

$ErrorActionPreference = 'Stop'

$ServiceKey = 'HKLM:\SYSTEM\CurrentControlSet\Services\WIMMount'
$DefaultImagePath = 'system32\drivers\wimmount.sys'
$AcceptedImagePaths = @('system32\drivers\wimmount.sys', '\SystemRoot\system32\drivers\wimmount.sys')

function Get-NativePath {
    # A 32-bit host on 64-bit Windows is redirected from System32 to SysWOW64; Sysnative reaches the real one.
    param([Parameter(Mandatory)][string]$Name)
    $folder = 'System32'
    if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) { $folder = 'Sysnative' }
    Join-Path -Path (Join-Path -Path $env:SystemRoot -ChildPath $folder) -ChildPath $Name
}

function Assert-Administrator {
    $principal = [Security.Principal.WindowsPrincipal]::new([Security.Principal.WindowsIdentity]::GetCurrent())
    if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
        throw 'This runbook needs administrator rights (a Hybrid Runbook Worker normally runs it as Local System).'
    }
}

function Get-ImagePathState {
    if (-not (Test-Path -LiteralPath $ServiceKey)) { return $null }
    $key = Get-Item -LiteralPath $ServiceKey
    $value = $key.GetValue('ImagePath', $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    $kind = $null
    if ($null -ne $value) { $kind = [string]$key.GetValueKind('ImagePath') }
    [pscustomobject]@{
        imagePath        = $value
        kind             = $kind
        driverFileExists = Test-Path -LiteralPath (Get-NativePath -Name 'drivers\wimmount.sys')
    }
}

$result = [ordered]@{
    runbook        = 'Repair-WimMountImagePath'
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
}

try {
    Assert-Administrator
    $before = Get-ImagePathState
    $result.before = $before
    if ($null -eq $before) { throw 'The WIMMount service key is missing: repair the Windows image (Repair-WindowsImage).' }
    if (-not $before.driverFileExists) {
        $result.errors.Add('wimmount.sys is missing from System32\drivers: repair the Windows image (Repair-WindowsImage).')
    }

    $healthy = $before.kind -eq 'ExpandString' -and $AcceptedImagePaths -contains $before.imagePath
    if ($healthy) {
        $result.actions.Add(('ImagePath already {0}' -f $before.imagePath))
    }
    elseif ($PSCmdlet.ShouldProcess("$ServiceKey\ImagePath", "Set to $DefaultImagePath (REG_EXPAND_SZ)")) {
        New-ItemProperty -Path $ServiceKey -Name 'ImagePath' -Value $DefaultImagePath -PropertyType ExpandString -Force | Out-Null
        $result.actions.Add(('ImagePath {0} ({1}) -> {2}' -f $before.imagePath, $before.kind, $DefaultImagePath))
        $result.changed = $true
        $result.rebootRequired = $true
    }
    $result.after = Get-ImagePathState
}
catch {
    $result.errors.Add($_.Exception.Message)
}

$result.ok = $result.errors.Count -eq 0
$result.finishedAt = (Get-Date).ToUniversalTime().ToString('o')
[pscustomobject]$result | ConvertTo-Json -Compress -Depth 5
