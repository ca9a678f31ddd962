"""Official documents in the legal format (Nghị định 30/2020/NĐ-CP).

``model`` describes a document as plain data; ``builders`` make documents from the program's
data; ``pdf`` and ``docx`` turn one document into bytes. Documents are always Vietnamese.
"""
