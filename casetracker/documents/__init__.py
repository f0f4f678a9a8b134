"""Motion papers: .docx templates filled with docxtpl, one file per motion or court list, and
PDF through LibreOffice when it is installed. Never imports Qt."""
