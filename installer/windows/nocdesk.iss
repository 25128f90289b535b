; Inno Setup 6 script: the Windows installer of nocdesk (x64). Build guide: installer\windows\BUILD.md.
;   ISCC.exe /DAppVersion=0.1.0 installer\windows\nocdesk.iss
; Input: dist\nocdesk\ (PyInstaller one-folder app with nocdesk.exe and nocdesk-gui.exe) and
; build\icons\nocdesk.ico (installer\make_icons.py). Output: dist\nocdesk-<version>-windows-x64-setup.exe.
;
; Start menu shortcuts, optional desktop icon, an uninstaller (Settings > Apps), and an optional task
; "run the polling engine as a service": with NSSM bundled (installer\windows\nssm.exe present at compile
; time) a real Windows service "nocdesk-poll"; without it a scheduled task "nocdesk poll" that starts
; nocdesk-poll.cmd at boot as SYSTEM. Either way the data lives in %ProgramData%\nocdesk, which the
; desktop app opens as a viewer through the "nocdesk (shared database)" shortcut.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "nocdesk"
#define DistDir "..\..\dist\nocdesk"
#define IconFile "..\..\build\icons\nocdesk.ico"
#define ServiceName "nocdesk-poll"
#define TaskName "nocdesk poll"
#if FileExists(AddBackslash(SourcePath) + "nssm.exe")
  #define WithNssm
#endif

[Setup]
AppId={{6B1E0A53-7C0D-4E52-9F3A-2B8F4C1D9E70}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=nocdesk developers
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=nocdesk-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\nocdesk-gui.exe
UninstallDisplayName={#AppName} {#AppVersion}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; admin: Program Files, the service, and the shared data folder's permissions
PrivilegesRequired=admin
MinVersion=10.0
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=auto

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Indonesian is an unofficial Inno Setup translation: put Indonesian.isl into Inno Setup's Languages folder.
#if FileExists(AddBackslash(CompilerPath) + "Languages\Indonesian.isl")
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif

[CustomMessages]
en.ServiceTask=Run the polling engine as a service (monitoring continues with nobody logged in)
en.ServiceGroup=Headless engine:
en.SharedShortcut=nocdesk (shared database)
en.DemoShortcut=nocdesk demo network
id.ServiceTask=Jalankan mesin pemantauan sebagai layanan (pemantauan tetap berjalan tanpa ada yang login)
id.ServiceGroup=Mesin tanpa tampilan:
id.SharedShortcut=nocdesk (basis data bersama)
id.DemoShortcut=Jaringan demo nocdesk

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "service"; Description: "{cm:ServiceTask}"; GroupDescription: "{cm:ServiceGroup}"; Flags: unchecked

[Dirs]
; the shared database: the service (SYSTEM) writes it, desktop users attach as viewers and record their intent
Name: "{commonappdata}\nocdesk"; Permissions: users-modify; Tasks: service
Name: "{commonappdata}\nocdesk\logs"; Permissions: users-modify; Tasks: service

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "nocdesk-poll.cmd"; DestDir: "{app}"; Flags: ignoreversion
#ifdef WithNssm
Source: "nssm.exe"; DestDir: "{app}\tools"; Flags: ignoreversion
#endif

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\nocdesk-gui.exe"
Name: "{group}\{cm:DemoShortcut}"; Filename: "{app}\nocdesk-gui.exe"; Parameters: "--demo"
Name: "{group}\{cm:SharedShortcut}"; Filename: "{app}\nocdesk-gui.exe"; Parameters: "--db ""{commonappdata}\nocdesk\nocdesk.db"""; Tasks: service
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\nocdesk-gui.exe"; Tasks: desktopicon

[Run]
#ifdef WithNssm
Filename: "{app}\tools\nssm.exe"; Parameters: "install {#ServiceName} ""{app}\nocdesk.exe"" poll --db ""{commonappdata}\nocdesk\nocdesk.db"""; Flags: runhidden; Tasks: service; StatusMsg: "Installing the nocdesk-poll service..."
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} DisplayName ""nocdesk polling engine"""; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} Description ""nocdesk poll: ICMP/SNMP checks, alerts and history for the nocdesk desktop app"""; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} AppEnvironmentExtra ""NOCDESK_DATA_DIR={commonappdata}\nocdesk"" NOCDESK_SECRET_BACKEND=file"; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} AppStderr ""{commonappdata}\nocdesk\logs\service.log"""; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} AppStopMethodConsole 20000"; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "set {#ServiceName} Start SERVICE_AUTO_START"; Flags: runhidden; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "start {#ServiceName}"; Flags: runhidden; Tasks: service
#else
Filename: "{sys}\schtasks.exe"; Parameters: "/Create /F /TN ""{#TaskName}"" /SC ONSTART /RU SYSTEM /RL HIGHEST /TR ""\""{app}\nocdesk-poll.cmd\"""""; Flags: runhidden; Tasks: service; StatusMsg: "Creating the nocdesk poll task..."
Filename: "{sys}\schtasks.exe"; Parameters: "/Run /TN ""{#TaskName}"""; Flags: runhidden; Tasks: service
#endif
Filename: "{app}\nocdesk-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
#ifdef WithNssm
Filename: "{app}\tools\nssm.exe"; Parameters: "stop {#ServiceName}"; Flags: runhidden; RunOnceId: "StopService"; Tasks: service
Filename: "{app}\tools\nssm.exe"; Parameters: "remove {#ServiceName} confirm"; Flags: runhidden; RunOnceId: "RemoveService"; Tasks: service
#else
Filename: "{sys}\schtasks.exe"; Parameters: "/End /TN ""{#TaskName}"""; Flags: runhidden; RunOnceId: "EndTask"; Tasks: service
Filename: "{sys}\schtasks.exe"; Parameters: "/Delete /F /TN ""{#TaskName}"""; Flags: runhidden; RunOnceId: "DeleteTask"; Tasks: service
Filename: "{sys}\taskkill.exe"; Parameters: "/F /IM nocdesk.exe"; Flags: runhidden; RunOnceId: "KillEngine"; Tasks: service
#endif
; %ProgramData%\nocdesk (the monitoring history) is kept; delete it by hand to remove all data.
