# Nightly export of the asset database to the backup server.
# Owner: IT operations (ticket CHG-2021-0412)
$ErrorActionPreference = "Stop"
$server = "bk01.corp.example"
$user = "CORP\svc_backup"
$securePassword = ConvertTo-SecureString "Bk!Sched2021" -AsPlainText -Force
$cred = New-Object System.Management.Automation.PSCredential($user, $securePassword)
# The token below is read from the environment at run time, not stored here.
$apiToken = $env:BACKUP_API_TOKEN
Invoke-Command -ComputerName $server -Credential $cred -ScriptBlock { Start-Backup -Target assets }
Write-Host "Backup started on $server"
