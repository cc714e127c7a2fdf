Attribute VB_Name = "RibbonXltargets"
' xltargets ribbon: ONE callback for every button of customUI.xml.
'
' Source of truth: addin/RibbonXltargets.bas in the xltargets repository;
' `xltargets addin build` copies it into xltargets.xlam. Keep this file
' ASCII: every text staff read lives in customUI.xml (tags) or in Python.
'
' A button's tag says what to run:
'   "action"              run xltargets.excel.ribbon.run("action", "")
'   "action|ask|PROMPT"   ask for a line of text first (Excel's InputBox)
'   "action|open|FILTER"  pick one or more files first (paths joined by LF)
'   "action|save|FILTER"  pick a file name to write first
' Cancelling a dialog runs nothing. The answer travels to Python as hex
' UTF-16 code units, so any Chinese text or path survives the command line.
' A new button therefore needs a line in customUI.xml and a Python action,
' but no new VBA.
Option Explicit

Public Sub OnAction(control As IRibbonControl)
    Dim parts() As String
    Dim answer As String
    If Len(control.Tag) = 0 Then Exit Sub
    parts = Split(control.Tag, "|")
    If UBound(parts) >= 2 Then
        If Not AskUser(parts(1), parts(2), answer) Then Exit Sub
    End If
    RunPython "import xltargets.excel.ribbon as r; r.run('" & parts(0) & "', '" & HexUtf16(answer) & "')"
End Sub

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

Private Function HexUtf16(text As String) As String
    Dim i As Long
    Dim out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    HexUtf16 = out
End Function
