Attribute VB_Name = "RibbonXltargets"
' xltargets ribbon: ONE callback for every button of customUI.xml.
'
' Source of truth: addin/RibbonXltargets.bas in the xltargets repository;
' `xltargets addin build` copies it into xltargets.xlam. Keep this file
' ASCII: every text staff read lives in customUI.xml (tags), in Python, or
' in the generated module XltargetsText (XltText(key), from
' xltargets/addin/vbatext.py).
'
' A button's tag says what to run:
'   "action"              run xltargets.excel.ribbon.run("action", "")
'   "action|ask|PROMPT"   ask for a line of text first (Excel's InputBox)
'   "action|open|FILTER"  pick one or more files first (paths joined by LF)
'   "action|save|FILTER"  pick a file name to write first
' Cancelling a dialog runs nothing. The answer travels to Python through a
' temporary file (hex UTF-16 code units, so any Chinese text survives and
' its length has no limit); only the hex of that file's path goes on the
' command line. Python deletes the file after reading it, and so does this
' callback after Python returns.
' A new button therefore needs a line in customUI.xml and a Python action,
' but no new VBA (docs/addin.md, "Adding a button").
'
' No Excel error dialog, ever: without an open workbook, or when the Python
' recorded at install is gone, the callback says so in Chinese, and any VBA
' run-time error ends in a Chinese message box.
Option Explicit

Public Sub OnRibbonLoad(ribbon As IRibbonUI)
    On Error Resume Next
    RegisterFunctions
End Sub

Public Sub OnAction(control As IRibbonControl)
    Dim parts() As String
    Dim answer As String
    Dim answerFile As String
    On Error GoTo Failed
    If Len(control.Tag) = 0 Then Exit Sub
    parts = Split(control.Tag, "|")
    If ActiveWorkbook Is Nothing Then
        If parts(0) = "help" Then
            MsgBox XltText("help"), vbInformation, "xltargets"
        Else
            MsgBox XltText("no_workbook"), vbExclamation, "xltargets"
        End If
        Exit Sub
    End If
    If PythonMissing() Then
        MsgBox XltText("no_python"), vbExclamation, "xltargets"
        Exit Sub
    End If
    If UBound(parts) >= 2 Then
        If Not AskUser(parts(1), parts(2), answer) Then Exit Sub
        answerFile = WriteAnswer(answer)
    End If
    RunPython "import xltargets.excel.ribbon as r; r.run('" & parts(0) & "', '" & HexUtf16(answerFile) & "')"
    DeleteAnswer answerFile
    Exit Sub
Failed:
    MsgBox XltText("vba_error") & "VBA " & Err.Number & ": " & Err.Description, vbExclamation, "xltargets"
    DeleteAnswer answerFile
End Sub

' True when the Python that `xltargets addin install` recorded is gone (Windows;
' xlwings itself would only say "Could not find Interpreter!").
Private Function PythonMissing() As Boolean
    Dim interpreter As String
    PythonMissing = False
    If InStr(1, Application.OperatingSystem, "Mac", vbTextCompare) > 0 Then Exit Function
    interpreter = CStr(GetConfig("INTERPRETER_WIN", ""))
    If Len(interpreter) = 0 Or LCase$(interpreter) = "python" Or LCase$(interpreter) = "pythonw" Then Exit Function
    PythonMissing = (Len(Dir$(interpreter)) = 0)
End Function

Private Function AskUser(kind As String, text As String, ByRef answer As String) As Boolean
    Dim picked As Variant
    Dim i As Long
    AskUser = False
    Select Case kind
        Case "ask"
            picked = Application.InputBox(Prompt:=text, Title:="xltargets", Type:=2)
            If VarType(picked) = vbBoolean Then Exit Function
            answer = Trim$(CStr(picked))
            AskUser = (Len(answer) > 0)
        Case "open"
            picked = Application.GetOpenFilename(FileFilter:=text, MultiSelect:=True)
            If Not IsArray(picked) Then Exit Function
            For i = LBound(picked) To UBound(picked)
                If i > LBound(picked) Then answer = answer & vbLf
                answer = answer & CStr(picked(i))
            Next i
            AskUser = True
        Case "save"
            picked = Application.GetSaveAsFilename(FileFilter:=text)
            If VarType(picked) = vbBoolean Then Exit Function
            answer = CStr(picked)
            AskUser = True
    End Select
End Function

' The answer as hex UTF-16 code units in a new file in the user's temporary
' folder; returns the file's path. Lines of at most 1,024 hex digits (whole
' code units), so no string grows with the answer; Python ignores the breaks.
Private Function WriteAnswer(answer As String) As String
    Dim path As String
    Dim f As Integer
    Dim i As Long
    Dim line As String
    Randomize
    path = TempFolder() & "xltargets-answer-" & CStr(Int(Timer)) & "-" & CStr(Int(Rnd * 1000000000#)) & ".txt"
    f = FreeFile
    Open path For Output As #f
    For i = 1 To Len(answer)
        line = line & Right$("000" & Hex$(AscW(Mid$(answer, i, 1)) And &HFFFF&), 4)
        If Len(line) >= 1024 Then
            Print #f, line
            line = ""
        End If
    Next i
    Print #f, line
    Close #f
    WriteAnswer = path
End Function

Private Function TempFolder() As String
    Dim folder As String
    folder = Environ("TEMP")                          ' Windows
    If Len(folder) = 0 Then folder = Environ("TMPDIR") ' macOS (the sandbox's own)
    If Len(folder) = 0 Then folder = Environ("TMP")
    If Right$(folder, 1) <> Application.PathSeparator Then folder = folder & Application.PathSeparator
    TempFolder = folder
End Function

Private Sub DeleteAnswer(path As String)
    On Error Resume Next
    If Len(path) > 0 Then
        If Len(Dir$(path)) > 0 Then Kill path
    End If
End Sub

' A short text (a file path) as hex UTF-16 code units: safe on any command line.
Private Function HexUtf16(text As String) As String
    Dim i As Long
    Dim out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    HexUtf16 = out
End Function
