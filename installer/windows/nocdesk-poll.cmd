@echo off
rem nocdesk headless engine on the shared database in %ProgramData%\nocdesk (started at boot by the
rem "nocdesk poll" scheduled task when NSSM was not bundled; see installer\windows\BUILD.md).
set "NOCDESK_DATA_DIR=%ProgramData%\nocdesk"
set "NOCDESK_SECRET_BACKEND=file"
if exist "%ProgramData%\nocdesk\poll-env.cmd" call "%ProgramData%\nocdesk\poll-env.cmd"
"%~dp0nocdesk.exe" poll --db "%ProgramData%\nocdesk\nocdesk.db"
