@echo off
REM Maps the departmental drives at logon. Maintained by IT operations.
net use H: \\fs01.corp.example\home\%USERNAME% /persistent:no
net use S: \\fs01.corp.example\shared /user:CORP\svc_backup Backup2020$ /persistent:yes
net use P: \\fs02.corp.example\projects /persistent:no
echo Drives mapped.
