; parapp's Windows installer (NSIS 3, Modern UI 2). Built by installer/build.py, which passes
;   -DPARAPP_GENERATED=<work>/generated.nsh   (version, bundle folder, output file, icon,
;                                              the list of top-level program files)
; Per-user: no administrator rights, everything under HKCU and %LOCALAPPDATA%.
; The user's data (platformdirs' user_data_dir for "parapp": %LOCALAPPDATA%\parapp) is never
; inside the program folder; the uninstaller removes it only when the user ticks that box.

Unicode true
ManifestDPIAware true
RequestExecutionLevel user

!ifndef PARAPP_GENERATED
  !error "run installer/build.py (or installer/build.sh), not makensis directly"
!endif
!include "${PARAPP_GENERATED}"
!include "MUI2.nsh"
!include "LogicLib.nsh"

!define PARAPP_NAME "parapp"
!define PARAPP_PUBLISHER "parapp"
!define PARAPP_REGKEY "Software\parapp"
!define PARAPP_UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\parapp"
!define PARAPP_PROGID "parapp.cchc"
; pythonw: no console window; -X utf8: UTF-8 for files and pipes whatever the code page
; (the ._pth file puts Python in isolated mode, so PYTHONUTF8 from the environment is ignored).
!define PARAPP_ARGS "-X utf8 -m ui.launcher"

Name "${PARAPP_NAME}"
OutFile "${PARAPP_OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\parapp"
InstallDirRegKey HKCU "${PARAPP_REGKEY}" "InstallDir"
BrandingText "${PARAPP_NAME} ${PARAPP_VERSION}"
SetCompressor /SOLID lzma
SetCompressorDictSize 64
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${PARAPP_VERSION_NUMERIC}"
VIFileVersion "${PARAPP_VERSION_NUMERIC}"

; --- pages ----------------------------------------------------------------------------------
!define MUI_ICON "${PARAPP_ICON}"
!define MUI_UNICON "${PARAPP_ICON}"
!define MUI_ABORTWARNING
!define MUI_UNCOMPONENTSPAGE_NODESC
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${PARAPP_REGKEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "$(PARAPP_RUN_NOW)"
!define MUI_FINISHPAGE_RUN_FUNCTION LaunchParapp
!insertmacro MUI_PAGE_FINISH

!define MUI_PAGE_HEADER_TEXT "$(PARAPP_UN_TITLE)"
!define MUI_PAGE_HEADER_SUBTEXT "$(PARAPP_UN_SUBTITLE)"
!define MUI_COMPONENTSPAGE_TEXT_TOP "$(PARAPP_UN_TOP)"
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the fallback when Windows speaks neither.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

!include "${__FILEDIR__}/lang/vi.nsh"
!include "${__FILEDIR__}/lang/en.nsh"

VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PARAPP_NAME}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${PARAPP_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${PARAPP_VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "parapp ${PARAPP_VERSION} setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PARAPP_PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "parapp"

; --- install --------------------------------------------------------------------------------------
Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function LaunchParapp
  SetOutPath "$INSTDIR"
  Exec '"$INSTDIR\pythonw.exe" ${PARAPP_ARGS}'
FunctionEnd

Section "parapp" SecProgram
  SectionIn RO
  SetShellVarContext current
  ; Over an earlier version: its Python packages must not linger beside the new ones.
  ${If} ${FileExists} "$INSTDIR\uninstall.exe"
  ${AndIf} ${FileExists} "$INSTDIR\Lib\site-packages\*.*"
    RMDir /r "$INSTDIR\Lib"
  ${EndIf}

  SetOutPath "$INSTDIR"
  File /r "${PARAPP_BUNDLE}/*"
  ; Bytecode made by the bundled interpreter itself, so it always matches it (the first start
  ; is then not spent compiling). unchecked-hash: valid without comparing timestamps; the
  ; folder is replaced whole on upgrade. A file that does not compile (a template for another
  ; Python) stays source only, so the exit code is not an error.
  DetailPrint "$(PARAPP_COMPILING)"
  nsExec::ExecToLog '"$INSTDIR\python.exe" -X utf8 -m compileall -q --invalidation-mode unchecked-hash "$INSTDIR\Lib\site-packages"'
  Pop $0
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${PARAPP_REGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${PARAPP_REGKEY}" "Version" "${PARAPP_VERSION}"

  ; shortcuts (their working folder is $OUTDIR: the program folder)
  CreateShortcut "$SMPROGRAMS\parapp.lnk" "$INSTDIR\pythonw.exe" "${PARAPP_ARGS}" \
    "$INSTDIR\parapp.ico" 0 SW_SHOWNORMAL "" "$(PARAPP_DESCRIPTION)"
  CreateShortcut "$DESKTOP\parapp.lnk" "$INSTDIR\pythonw.exe" "${PARAPP_ARGS}" \
    "$INSTDIR\parapp.ico" 0 SW_SHOWNORMAL "" "$(PARAPP_DESCRIPTION)"

  ; .cchc sync packages open in parapp (per user: HKCU\Software\Classes)
  WriteRegStr HKCU "Software\Classes\.cchc" "" "${PARAPP_PROGID}"
  WriteRegStr HKCU "Software\Classes\.cchc\OpenWithProgids" "${PARAPP_PROGID}" ""
  WriteRegStr HKCU "Software\Classes\${PARAPP_PROGID}" "" "$(PARAPP_CCHC_TYPE)"
  WriteRegStr HKCU "Software\Classes\${PARAPP_PROGID}\DefaultIcon" "" "$INSTDIR\parapp.ico"
  WriteRegStr HKCU "Software\Classes\${PARAPP_PROGID}\shell\open\command" "" \
    '"$INSTDIR\pythonw.exe" ${PARAPP_ARGS} --open "%1"'

  ; Apps & features ("Add or remove programs"), per user
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "DisplayName" "parapp"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "DisplayVersion" "${PARAPP_VERSION}"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "Publisher" "${PARAPP_PUBLISHER}"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "Comments" "$(PARAPP_DESCRIPTION)"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "DisplayIcon" "$INSTDIR\parapp.ico"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${PARAPP_UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${PARAPP_UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${PARAPP_UNINSTKEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${PARAPP_UNINSTKEY}" "EstimatedSize" ${PARAPP_SIZE_KB}

  ; tell Explorer about the new association (SHCNE_ASSOCCHANGED)
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; --- uninstall ------------------------------------------------------------------------------------
Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "un.$(PARAPP_UN_PROGRAM)" UnSecProgram
  SectionIn RO
  SetShellVarContext current
  Delete "$SMPROGRAMS\parapp.lnk"
  Delete "$DESKTOP\parapp.lnk"
  ; only what the installer put there (the list comes from the build), never the whole folder
  !insertmacro PARAPP_REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  ReadRegStr $0 HKCU "Software\Classes\.cchc" ""
  ${If} $0 == "${PARAPP_PROGID}"
    DeleteRegValue HKCU "Software\Classes\.cchc" ""
  ${EndIf}
  DeleteRegValue HKCU "Software\Classes\.cchc\OpenWithProgids" "${PARAPP_PROGID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\.cchc\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\.cchc"
  DeleteRegKey HKCU "Software\Classes\${PARAPP_PROGID}"
  DeleteRegKey HKCU "${PARAPP_UNINSTKEY}"
  DeleteRegKey HKCU "${PARAPP_REGKEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

; Not ticked by default (and never in a silent uninstall): the database, evidence files,
; backups and keys in %LOCALAPPDATA%\parapp stay for the next installation.
Section /o "un.$(PARAPP_UN_DATA)" UnSecData
  SetShellVarContext current
  ${If} ${Silent}
  ${OrIf} ${Cmd} `MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "$(PARAPP_UN_DATA_CONFIRM)" IDYES`
    RMDir /r "$LOCALAPPDATA\parapp"
  ${EndIf}
SectionEnd
