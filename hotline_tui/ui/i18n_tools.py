"""The console's phrasing of the order tools (merge, consult, release, reveal, edit, attach,
materials, the visit-due board), merged into :mod:`hotline_tui.ui.i18n`; key: (Chinese, English).
The tools' names and inputs are the product's (:mod:`hotline_tui.labels.actions`)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "history.abusive": ("已标记恶意", "marked abusive"),
    "detail.merged_into": ("已并入工单 {number}", "Merged into {number}"),
    "detail.duplicates": ("重复件：{numbers}", "Duplicates: {numbers}"),
    "flag.escalated": ("已提级", "escalated"),
    "flag.consulted": ("已会商", "consulted"),
    "key.materials": ("材料", "Materials"),
    "key.open_file": ("查看", "View"),
    "key.visit_due": ("回访到期", "Visits due"),
    "materials.title": ("工单 {number} 的材料", "Materials of {number}"),
    "materials.none": ("本工单没有材料（按 A 添加）", "No materials (A attaches one)"),
    "materials.stored": ("存放位置：{path}", "Stored at: {path}"),
    "materials.binary": (
        "（非文本文件，{size} 字节，{media}；请按存放位置打开）",
        "(not text: {size} bytes, {media}; open it from where it is stored)",
    ),
    "materials.cut": ("……（仅显示前 {n} 字节）", "… (first {n} bytes only)"),
    "reveal.shown": (
        "已显示完整号码（查看原因已记录）",
        "Full numbers shown (the reason is on record)",
    ),
    "edit.nothing": ("没有修改任何字段", "Nothing was changed"),
    "visit_due.title": (
        "回访到期：已超期（红）与 {hours} 小时内到期（黄）",
        "Visits due: overdue (red) and due within {hours} h (yellow)",
    ),
    "visit_due.count": ("回访到期 {n} 件，已超期 {late} 件", "{n} visits due, {late} overdue"),
    "col.visit_due": ("回访期限", "Visit by"),
    "col.material": ("文件", "File"),
    "col.size": ("大小", "Size"),
    "col.media": ("类型", "Type"),
    "col.uploaded": ("上传时间", "Uploaded"),
}
