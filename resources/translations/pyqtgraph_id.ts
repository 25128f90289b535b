<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<!-- pyqtgraph's own words that can show in nocdesk's charts (scene menu, export dialog).
     Hand-maintained (lupdate does not touch it); compiled by scripts/update_translations.py. -->
<context>
    <name>GraphicsScene</name>
    <message>
        <source>Export...</source>
        <translation>Ekspor...</translation>
    </message>
</context>
<context>
    <name>ViewBox</name>
    <message>
        <source>ViewBox options</source>
        <translation>Opsi tampilan</translation>
    </message>
    <message>
        <source>View All</source>
        <translation>Tampilkan semua</translation>
    </message>
    <message>
        <source>axis</source>
        <translation>sumbu</translation>
    </message>
    <message>
        <source>Mouse Mode</source>
        <translation>Mode tetikus</translation>
    </message>
    <message>
        <source>3 button</source>
        <translation>3 tombol</translation>
    </message>
    <message>
        <source>1 button</source>
        <translation>1 tombol</translation>
    </message>
</context>
<context>
    <name>PlotItem</name>
    <message>
        <source>Transforms</source>
        <translation>Transformasi</translation>
    </message>
    <message>
        <source>Downsample</source>
        <translation>Kurangi sampel</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Rata-rata</translation>
    </message>
    <message>
        <source>Alpha</source>
        <translation>Transparansi</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>Kisi</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Titik</translation>
    </message>
    <message>
        <source>Plot Options</source>
        <translation>Opsi grafik</translation>
    </message>
</context>
<context>
    <name>Form</name>
    <message>
        <source>Export</source>
        <translation>Ekspor</translation>
    </message>
    <message>
        <source>Export format</source>
        <translation>Format ekspor</translation>
    </message>
    <message>
        <source>Export options</source>
        <translation>Opsi ekspor</translation>
    </message>
    <message>
        <source>Item to export:</source>
        <translation>Yang diekspor:</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Salin</translation>
    </message>
</context>
</TS>
