Attribute VB_Name = "Xltargets"
' Macros of the xltargets declarations workbook (declarations.xlsm).
'
' Source of truth: templates/Xltargets.bas in the xltargets repository;
' `python templates/make_vba.py` turns it into templates/vbaProject.bin,
' which every generated workbook carries unchanged. Keep this file ASCII.
'
' Nothing here is needed for the checks: they are native formulas in
' column G of each project sheet and work without macros (WPS, LibreOffice).
' The xltargets add-in (xltargets.xlam) adds the ribbon and the UDFs.
Option Explicit

' Select the first check cell in column G that reports a problem.
Public Sub GoToFirstProblem()
    Dim ws As Worksheet
    Dim cell As Range
    For Each ws In ThisWorkbook.Worksheets
        If ws.Visible = xlSheetVisible Then
            For Each cell In ws.Range("G2:G" & ws.UsedRange.Rows.Count + ws.UsedRange.Row)
                If Not IsError(cell.Value) Then
                    If Len(CStr(cell.Value)) > 0 And Left$(CStr(cell.Value), 1) <> ChrW(&H2713) _
                       And cell.Row <> 12 And cell.HasFormula Then
                        ws.Activate
                        cell.Select
                        Exit Sub
                    End If
                End If
            Next cell
        End If
    Next ws
    ' Chinese text as hex UTF-16 code units: this module is ASCII (code page 1252).
    ' The text: "no check cell in column G reports a problem" (in Chinese).
    MsgBox FromHex("5404987976EE5DE54F5C88680020004700205217768468C067E553555143683C90FD6CA1670953D173B095EE98983002"), vbInformation, "xltargets"
End Sub

Private Function FromHex(digits As String) As String
    Dim i As Long
    Dim out As String
    For i = 1 To Len(digits) - 3 Step 4
        out = out & ChrW$(CLng("&H" & Mid$(digits, i, 4)))
    Next i
    FromHex = out
End Function
