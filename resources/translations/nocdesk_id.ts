<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../ui/about_dialog.py" line="+122"/>
        <source>About nocdesk</source>
        <translation>Tentang nocdesk</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&lt;b style=&apos;font-size:18px&apos;&gt;nocdesk {version}&lt;/b&gt;&lt;br&gt;Network monitoring for a small NOC: ICMP/SNMP polling, topology, alerts, uptime reports and config backup.</source>
        <translation>&lt;b style=&apos;font-size:18px&apos;&gt;nocdesk {version}&lt;/b&gt;&lt;br&gt;Pemantauan jaringan untuk NOC kecil: polling ICMP/SNMP, topologi, peringatan, laporan ketersediaan dan cadangan konfigurasi.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Data folder</source>
        <translation>Folder data</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Database</source>
        <translation>Basis data</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Library</source>
        <translation>Pustaka</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>Lisensi</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>nocdesk is free software under the GNU GPL version 3 or later. The libraries below keep their own licences:</source>
        <translation>nocdesk adalah perangkat lunak bebas di bawah GNU GPL versi 3 atau yang lebih baru. Pustaka di bawah ini tetap memakai lisensinya masing-masing:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copy</source>
        <translation>Salin</translation>
    </message>
</context>
<context>
    <name>AckDialog</name>
    <message>
        <location filename="../../ui/events_view.py" line="+42"/>
        <source>Acknowledge alert</source>
        <translation>Konfirmasi peringatan</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>What is being done, e.g. &apos;Fiber crew dispatched, ETA 14.00&apos;</source>
        <translation>Apa yang sedang dikerjakan, mis. &apos;Tim FO sudah berangkat, perkiraan tiba 14.00&apos;</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Acknowledge</source>
        <translation>Konfirmasi</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Comment</source>
        <translation>Catatan</translation>
    </message>
</context>
<context>
    <name>AlertRulesDialog</name>
    <message>
        <location filename="../../ui/alert_rules_dialog.py" line="+63"/>
        <source>Alert rules</source>
        <translation>Aturan peringatan</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>All devices</source>
        <translation>Semua perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A site</source>
        <translation>Satu lokasi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A group</source>
        <translation>Satu grup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A device</source>
        <translation>Satu perangkat</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Rules for</source>
        <translation>Aturan untuk</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Rule</source>
        <translation>Aturan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>On</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Threshold</source>
        <translation>Ambang batas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>For (min)</source>
        <translation>Selama (menit)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Severity</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value comes from</source>
        <translation>Asal nilai</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning</source>
        <translation>Waspada</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Critical</source>
        <translation>Kritis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A device uses its own value, else its group&apos;s, else its site&apos;s, else the value for all devices, else the built-in default. Bold values are set here.</source>
        <translation>Perangkat memakai nilainya sendiri; bila tidak ada, nilai grupnya, lalu lokasinya, lalu nilai untuk semua perangkat, lalu nilai bawaan. Nilai bercetak tebal diatur di sini.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Reset selected rule here</source>
        <translation>&amp;Kembalikan aturan terpilih di sini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save</source>
        <translation>&amp;Simpan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>default</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>all devices</source>
        <translation>semua perangkat</translation>
    </message>
</context>
<context>
    <name>BackupHistory</name>
    <message>
        <location filename="../../ui/backup_history.py" line="+86"/>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Hash</source>
        <translation>Hash</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Size</source>
        <translation>Ukuran</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes</source>
        <translation>Perubahan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Versions</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select one version to compare it with the one before, or two (Ctrl+click) to compare them.</source>
        <translation>Pilih satu versi untuk dibandingkan dengan versi sebelumnya, atau dua versi (Ctrl+klik) untuk saling dibandingkan.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export version…</source>
        <translation>Ekspor versi…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Include passwords and secrets</source>
        <translation>Sertakan kata sandi dan rahasia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Off: passwords, communities and keys are written as &lt;redacted&gt;</source>
        <translation>Nonaktif: kata sandi, community dan kunci ditulis sebagai &lt;redacted&gt;</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+85"/>
        <source>Differences</source>
        <translation>Perbedaan</translation>
    </message>
    <message>
        <location line="-83"/>
        <source>Show ignored lines (timestamps, counters)</source>
        <translation>Tampilkan baris yang diabaikan (stempel waktu, penghitung)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Select a device and a version.</source>
        <translation>Pilih perangkat dan versinya.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>first version, {n} lines</source>
        <translation>versi pertama, {n} baris</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>+{added} -{removed} lines</source>
        <translation>+{added} -{removed} baris</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Select at most two versions to compare.</source>
        <translation>Pilih paling banyak dua versi untuk dibandingkan.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>v{id}: the whole configuration (oldest stored version)</source>
        <translation>v{id}: seluruh konfigurasi (versi tersimpan tertua)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Changes from v{old} to v{new}</source>
        <translation>Perubahan dari v{old} ke v{new}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>No difference (after leaving out the ignored lines).</source>
        <translation>Tidak ada perbedaan (setelah baris yang diabaikan disisihkan).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Export with secrets</source>
        <translation>Ekspor beserta rahasia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The file will hold the passwords, SNMP communities and keys of {name} in readable form. Anyone who gets the file can log in to the device.

Export with secrets?</source>
        <translation>Berkas ini akan memuat kata sandi, community SNMP dan kunci {name} dalam bentuk terbaca. Siapa pun yang mendapat berkas ini bisa masuk ke perangkat.

Ekspor beserta rahasia?</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Export configuration</source>
        <translation>Ekspor konfigurasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Configuration (*.cfg *.txt);;All files (*)</source>
        <translation>Konfigurasi (*.cfg *.txt);;Semua berkas (*)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>secrets redacted</source>
        <translation>rahasia disamarkan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>WITH secrets</source>
        <translation>BESERTA rahasia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wrote {path} ({note}).</source>
        <translation>Menulis {path} ({note}).</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <location filename="../../ui/backup_page.py" line="+65"/>
        <source>Config backups</source>
        <translation>Cadangan konfigurasi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Back up selected</source>
        <translation>Cadangkan yang dipilih</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read the configuration of the selected devices now (nothing is ever changed on a device)</source>
        <translation>Baca konfigurasi perangkat terpilih sekarang (tidak ada yang diubah di perangkat)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Back up all</source>
        <translation>Cadangkan semua</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every enabled device with an SSH credential</source>
        <translation>Semua perangkat aktif yang punya kredensial SSH</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last backup</source>
        <translation>Cadangan terakhir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Result</source>
        <translation>Hasil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Versions</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Host key</source>
        <translation>Kunci host</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Accept new host key…</source>
        <translation>Terima kunci host baru…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Devices without an SSH credential are not backed up: give them one with Edit device.</source>
        <translation>Perangkat tanpa kredensial SSH tidak dicadangkan: berikan kredensial lewat Ubah perangkat.</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>First backup</source>
        <translation>Cadangan pertama</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Changed</source>
        <translation>Berubah</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unchanged</source>
        <translation>Tidak berubah</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Blocked</source>
        <translation>Diblokir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Never</source>
        <translation>Belum pernah</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>No SSH credential</source>
        <translation>Tanpa kredensial SSH</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not backed up yet</source>
        <translation>Belum dicadangkan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not seen yet</source>
        <translation>Belum terlihat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Trusted</source>
        <translation>Dipercaya</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CHANGED — blocked</source>
        <translation>BERUBAH — diblokir</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>No device has an SSH credential yet: edit a switch and choose its SSH credential and vendor profile to back up its configuration.</source>
        <translation>Belum ada perangkat yang punya kredensial SSH: ubah sebuah switch lalu pilih kredensial SSH dan profil vendornya agar konfigurasinya dicadangkan.</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{name} now shows another SSH host key. Its backups are blocked until you accept the new key.</source>
        <translation>{name} kini menunjukkan kunci host SSH lain. Pencadangannya diblokir sampai Anda menerima kunci baru.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Accept new SSH host key</source>
        <translation>Terima kunci host SSH baru</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The SSH host key of {name} ({address}) has changed.</source>
        <translation>Kunci host SSH {name} ({address}) telah berubah.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Trusted key:
{old}

Key the device shows now:
{new}

This is expected after the device was replaced, reinstalled or its keys regenerated. Otherwise someone may be pretending to be this device: check the fingerprint on the device&apos;s console first.

Trust the new key?</source>
        <translation>Kunci yang dipercaya:
{old}

Kunci yang ditunjukkan perangkat sekarang:
{new}

Hal ini wajar setelah perangkat diganti, dipasang ulang atau kuncinya dibuat ulang. Bila tidak, mungkin ada pihak yang menyamar sebagai perangkat ini: periksa dulu sidik jarinya di konsol perangkat.

Percayai kunci baru?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New host key {fingerprint} of {name} accepted; the next backup uses it.</source>
        <translation>Kunci host baru {fingerprint} milik {name} diterima; pencadangan berikutnya memakainya.</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Backing up {what}…</source>
        <translation>Mencadangkan {what}…</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>{n} devices</source>
        <translation>{n} perangkat</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>all devices</source>
        <translation>semua perangkat</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Cancelling: devices already connected finish first…</source>
        <translation>Membatalkan: perangkat yang sudah tersambung diselesaikan dulu…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>first</source>
        <translation>pertama</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>changed</source>
        <translation>berubah</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>unchanged</source>
        <translation>tidak berubah</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>gagal</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>blocked</source>
        <translation>diblokir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backed up {n} device(s) in {seconds} s: {counts}.</source>
        <translation>Mencadangkan {n} perangkat dalam {seconds} detik: {counts}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nothing to do</source>
        <translation>tidak ada yang perlu dikerjakan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelled before they started: {names}.</source>
        <translation>Dibatalkan sebelum mulai: {names}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Git export failed: {error}</source>
        <translation>Ekspor Git gagal: {error}</translation>
    </message>
</context>
<context>
    <name>ChartStack</name>
    <message>
        <location filename="../../ui/charts.py" line="+167"/>
        <source>No measurements in this range yet.</source>
        <translation>Belum ada pengukuran dalam rentang ini.</translation>
    </message>
</context>
<context>
    <name>ChooseMasterPassword</name>
    <message>
        <location filename="../../ui/unlock.py" line="+143"/>
        <source>Choose a master password</source>
        <translation>Pilih kata sandi induk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This computer has no system keyring, so nocdesk keeps SNMP community strings and SSH passwords in an encrypted file protected by a master password. Choose it now (at least {n} characters). nocdesk asks for it after each restart; for the background service (&apos;nocdesk poll&apos;) set it in the environment variable {env}. If it is lost, the saved passwords must be entered again.</source>
        <translation>Komputer ini tidak punya keyring sistem, jadi nocdesk menyimpan community SNMP dan kata sandi SSH di berkas terenkripsi yang dilindungi kata sandi induk. Pilih kata sandi itu sekarang (minimal {n} karakter). nocdesk menanyakannya setiap kali dijalankan ulang; untuk layanan latar belakang (&apos;nocdesk poll&apos;) isi di variabel lingkungan {env}. Bila hilang, kata sandi yang tersimpan harus dimasukkan lagi.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Set master password</source>
        <translation>&amp;Setel kata sandi induk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Master password</source>
        <translation>Kata sandi induk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Same again</source>
        <translation>Ulangi sekali lagi</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The master password needs at least {n} characters.</source>
        <translation>Kata sandi induk minimal {n} karakter.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The two passwords differ; type the same password twice.</source>
        <translation>Kedua kata sandi berbeda; ketik kata sandi yang sama dua kali.</translation>
    </message>
</context>
<context>
    <name>ConfigBackupsDialog</name>
    <message>
        <location filename="../../ui/backup_page.py" line="+17"/>
        <source>Config backups</source>
        <translation>Cadangan konfigurasi</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>ContactsEditor</name>
    <message>
        <location filename="../../ui/notify_settings.py" line="+137"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>E-mail</source>
        <translation>Surel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Telegram chat ID</source>
        <translation>ID obrolan Telegram</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quiet hours</source>
        <translation>Jam tenang</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Time zone</source>
        <translation>Zona waktu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Nothing is sent in these hours, e.g. 22:00-06:00; what happened is sent when they end</source>
        <translation>Tidak ada yang dikirim pada jam ini, mis. 22:00-06:00; kejadiannya dikirim setelah jam tenang berakhir</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add contact</source>
        <translation>Tambah kontak</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Normal</source>
        <translation>Biasa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escalation</source>
        <translation>Eskalasi</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>(as the app)</source>
        <translation>(sesuai aplikasi)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Contact {name}: give an e-mail address or a Telegram chat ID</source>
        <translation>Kontak {name}: isi alamat surel atau ID obrolan Telegram</translation>
    </message>
</context>
<context>
    <name>CrawlPanel</name>
    <message>
        <location filename="../../ui/crawl_panel.py" line="+73"/>
        <source>Filter devices…</source>
        <translation>Saring perangkat…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source> hop(s)</source>
        <translation> lompatan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>How far to follow neighbours: 1 = only the seeds&apos; direct neighbours.</source>
        <translation>Seberapa jauh tetangga ditelusuri: 1 = hanya tetangga langsung perangkat awal.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SNMP credentials tried, in order, on each new device. With none ticked, the seeds&apos; own credentials and the default polling credential are tried.</source>
        <translation>Kredensial SNMP yang dicoba berurutan pada setiap perangkat baru. Bila tidak ada yang dicentang, dicoba kredensial perangkat awal dan kredensial pemantauan bawaan.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Depth</source>
        <translation>Kedalaman</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Credentials to try</source>
        <translation>Kredensial yang dicoba</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start from</source>
        <translation>Mulai dari</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Start crawl</source>
        <translation>&amp;Mulai penelusuran</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel crawl</source>
        <translation>Batalkan penelusuran</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Follows LLDP/CDP neighbours from the ticked devices; nothing is added until you tick candidates and press Add.</source>
        <translation>Menelusuri tetangga LLDP/CDP dari perangkat yang dicentang; tidak ada yang ditambahkan sampai Anda mencentang kandidat dan menekan Tambahkan.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Seen from / port</source>
        <translation>Terlihat dari / port</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Note</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guessed from sysServices; change it later in the device&apos;s settings</source>
        <translation>Ditebak dari sysServices; ubah nanti di pengaturan perangkat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Add selected</source>
        <translation>&amp;Tambahkan yang dipilih</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>at site</source>
        <translation>di lokasi</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Tick at least one device to start from.</source>
        <translation>Centang minimal satu perangkat sebagai titik awal.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Reading the neighbour tables of {seeds}…</source>
        <translation>Membaca tabel tetangga {seeds}…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{n} new neighbour(s), {a} can be added; {k} already monitored.</source>
        <translation>{n} tetangga baru, {a} dapat ditambahkan; {k} sudah dipantau.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Crawl cancelled; the list is partial. </source>
        <translation>Penelusuran dibatalkan; daftar belum lengkap. </translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Tick the devices to add.</source>
        <translation>Centang perangkat yang akan ditambahkan.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{n} device(s) added.</source>
        <translation>{n} perangkat ditambahkan.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>added</source>
        <translation>ditambahkan</translation>
    </message>
</context>
<context>
    <name>CredentialsDialog</name>
    <message>
        <location filename="../../ui/credentials_dialog.py" line="+48"/>
        <source>Credentials</source>
        <translation>Kredensial</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+30"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="-30"/>
        <location line="+31"/>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Secrets kept in</source>
        <translation>Rahasia disimpan di</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Devices</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New &amp;SNMP</source>
        <translation>&amp;SNMP baru</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New SS&amp;H</source>
        <translation>SSH ba&amp;ru</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>&amp;Hapus</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>for example snmp-kantor or backup-ssh</source>
        <translation>misalnya snmp-kantor atau backup-ssh</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>&amp;Save credential</source>
        <translation>Si&amp;mpan kredensial</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Test on device</source>
        <translation>&amp;Uji pada perangkat</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Test the saved credential on</source>
        <translation>Uji kredensial tersimpan pada</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Credential</source>
        <translation>Kredensial</translation>
    </message>
    <message>
        <location line="+31"/>
        <location line="+96"/>
        <source>OS keyring</source>
        <translation>Keyring sistem operasi</translation>
    </message>
    <message>
        <location line="-96"/>
        <source>Encrypted file</source>
        <translation>Berkas terenkripsi</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>SSH logins are tried by &apos;Back up now&apos; in Config backups.</source>
        <translation>Login SSH dicoba lewat &apos;Cadangkan sekarang&apos; di Cadangan konfigurasi.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>unchanged (type to replace)</source>
        <translation>tidak diubah (ketik untuk mengganti)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A credential named &apos;{name}&apos; already exists; select it in the list to edit it.</source>
        <translation>Kredensial bernama &apos;{name}&apos; sudah ada; pilih di daftar untuk mengubahnya.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Saved {kind} credential &apos;{name}&apos; (secrets in the {where}).</source>
        <translation>Kredensial {kind} &apos;{name}&apos; disimpan (rahasia di {where}).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>encrypted file</source>
        <translation>berkas terenkripsi</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Delete credential</source>
        <translation>Hapus kredensial</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete credential &apos;{name}&apos; and its saved secrets?</source>
        <translation>Hapus kredensial &apos;{name}&apos; beserta rahasia yang tersimpan?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Deleted credential &apos;{name}&apos;.</source>
        <translation>Kredensial &apos;{name}&apos; dihapus.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{device} ({address}): SNMP answers with &apos;{cred}&apos; — {sys_name}, {descr}</source>
        <translation>{device} ({address}): SNMP menjawab dengan &apos;{cred}&apos; — {sys_name}, {descr}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{device} ({address}): SNMP with &apos;{cred}&apos; failed: {reason}</source>
        <translation>{device} ({address}): SNMP dengan &apos;{cred}&apos; gagal: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Testing &apos;{cred}&apos; on {device}…</source>
        <translation>Menguji &apos;{cred}&apos; pada {device}…</translation>
    </message>
</context>
<context>
    <name>CustomRangeDialog</name>
    <message>
        <location filename="../../ui/device_page.py" line="+90"/>
        <source>Custom range</source>
        <translation>Rentang khusus</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>Sampai</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <location filename="../../ui/dashboard.py" line="+88"/>
        <source>Up</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Down</source>
        <translation>Mati</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Unreachable</source>
        <translation>Tak terjangkau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Degraded</source>
        <translation>Menurun</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Maintenance</source>
        <translation>Pemeliharaan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Tidak diketahui</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Availability, last 24 h</source>
        <translation>Ketersediaan, 24 jam terakhir</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Filter devices by name, address, kind or site (Ctrl+F)</source>
        <translation>Saring perangkat menurut nama, alamat, jenis atau lokasi (Ctrl+F)</translation>
    </message>
    <message>
        <location line="+67"/>
        <source>Open alerts</source>
        <translation>Peringatan terbuka</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Links to watch</source>
        <translation>Tautan yang perlu diawasi</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Open alerts ({n})</source>
        <translation>Peringatan terbuka ({n})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>No open alerts</source>
        <translation>Tidak ada peringatan terbuka</translation>
    </message>
    <message>
        <location line="+10"/>
        <source> · acknowledged by {who}</source>
        <translation> · dikonfirmasi oleh {who}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>No links known yet (LLDP/CDP or added by hand)</source>
        <translation>Belum ada tautan yang diketahui (dari LLDP/CDP atau ditambahkan manual)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>fiber</source>
        <translation>serat optik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>copper</source>
        <translation>tembaga</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>wireless</source>
        <translation>nirkabel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>provider</source>
        <translation>penyedia</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name}
{medium} · util {util} · loss {loss}</source>
        <translation>{name}
{medium} · utilisasi {util} · paket hilang {loss}</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>{shown} of {total} devices</source>
        <translation>{shown} dari {total} perangkat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{total} devices</source>
        <translation>{total} perangkat</translation>
    </message>
</context>
<context>
    <name>DeliveryLogDialog</name>
    <message>
        <location filename="../../ui/delivery_log.py" line="+38"/>
        <source>Delivery log</source>
        <translation>Log pengiriman</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>E-mail</source>
        <translation>Surel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Desktop</source>
        <translation>Desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All channels</source>
        <translation>Semua saluran</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Any status</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+8"/>
        <source>Channel</source>
        <translation>Saluran</translation>
    </message>
    <message>
        <location line="-6"/>
        <location line="+7"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recipient</source>
        <translation>Penerima</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attempts</source>
        <translation>Percobaan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last error</source>
        <translation>Galat terakhir</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>waiting</source>
        <translation>menunggu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>delivered</source>
        <translation>terkirim</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>gagal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dropped</source>
        <translation>dibatalkan</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{n} shown (newest first)</source>
        <translation>{n} ditampilkan (terbaru di atas)</translation>
    </message>
</context>
<context>
    <name>DependenciesDialog</name>
    <message>
        <location filename="../../ui/dependencies_dialog.py" line="+45"/>
        <source>Dependencies</source>
        <translation>Ketergantungan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Parent</source>
        <translation>Induk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set by</source>
        <translation>Diatur oleh</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Site</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Each device hangs off the device before it on the path from the monitoring station. When a parent is down, its children are reported unreachable, not down.</source>
        <translation>Setiap perangkat bergantung pada perangkat sebelumnya di jalur dari stasiun pemantau. Bila induknya mati, anak-anaknya dilaporkan tak terjangkau, bukan mati.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Pin parent…</source>
        <translation>Tetapkan induk…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic</source>
        <translation>Otomatis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Forget the pinned parent; derive it from the topology again</source>
        <translation>Lupakan induk yang ditetapkan; turunkan lagi dari topologi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>pinned</source>
        <translation>ditetapkan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>derived</source>
        <translation>diturunkan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>root / none</source>
        <translation>akar / tidak ada</translation>
    </message>
</context>
<context>
    <name>DeviceDialog</name>
    <message>
        <location filename="../../ui/device_dialog.py" line="+43"/>
        <source>Edit device</source>
        <translation>Ubah perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add device</source>
        <translation>Tambah perangkat</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. sw-kec-kutaraja</source>
        <translation>mis. sw-kec-kutaraja</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>IP address or host name</source>
        <translation>Alamat IP atau nama host</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>automatic (matched on sysObjectID)</source>
        <translation>otomatis (dicocokkan dari sysObjectID)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>comma separated, e.g. core, fiber</source>
        <translation>pisahkan dengan koma, mis. inti, serat-optik</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Monitor this device</source>
        <translation>Pantau perangkat ini</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Name</source>
        <translation>&amp;Nama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Address</source>
        <translation>&amp;Alamat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Kind</source>
        <translation>&amp;Jenis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Site</source>
        <translation>&amp;Lokasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Group</source>
        <translation>&amp;Grup</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Parent</source>
        <translation>&amp;Induk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SNMP credential</source>
        <translation>Kredensial SNMP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SSH credential</source>
        <translation>Kredensial SSH</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tags</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check every</source>
        <translation>Periksa setiap</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Notes</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Test</source>
        <translation>&amp;Uji</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ping the address and read its SNMP name, description and profile</source>
        <translation>Ping alamat ini lalu baca nama, deskripsi dan profil SNMP-nya</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Test checks the address answers before you save.</source>
        <translation>Uji memastikan alamat ini menjawab sebelum Anda menyimpan.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Enter a valid IP address or host name first.</source>
        <translation>Isi dulu alamat IP atau nama host yang benar.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testing {address}…</source>
        <translation>Menguji {address}…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{mark} Ping: answered in {rtt}</source>
        <translation>{mark} Ping: menjawab dalam {rtt}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{mark} Ping: no answer ({reason})</source>
        <translation>{mark} Ping: tidak menjawab ({reason})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{mark} SNMP: sysName &lt;b&gt;{name}&lt;/b&gt;</source>
        <translation>{mark} SNMP: sysName &lt;b&gt;{name}&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sysDescr: {descr}</source>
        <translation>sysDescr: {descr}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sysObjectID: {oid}</source>
        <translation>sysObjectID: {oid}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile: {profile}</source>
        <translation>Profil: {profile}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>generic (no vendor match)</source>
        <translation>umum (tidak cocok dengan vendor mana pun)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{mark} SNMP: {reason}</source>
        <translation>{mark} SNMP: {reason}</translation>
    </message>
</context>
<context>
    <name>DevicePage</name>
    <message>
        <location filename="../../ui/device_page.py" line="+37"/>
        <source>Back to the device list (Esc)</source>
        <translation>Kembali ke daftar perangkat (Esc)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Check now</source>
        <translation>Periksa sekarang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ask the polling engine to check this device at once</source>
        <translation>Minta mesin pemantau memeriksa perangkat ini sekarang juga</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Remove</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Site</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Parent</source>
        <translation>Induk</translation>
    </message>
    <message>
        <location line="-122"/>
        <location line="+122"/>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <location line="-122"/>
        <source>Jitter</source>
        <translation>Jitter</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+121"/>
        <location line="+184"/>
        <source>Loss</source>
        <translation>Paket hilang</translation>
    </message>
    <message>
        <location line="-305"/>
        <source>In</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rx</source>
        <translation>Rx</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tx</source>
        <translation>Tx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In errors</source>
        <translation>Galat masuk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Out errors</source>
        <translation>Galat keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In discards</source>
        <translation>Dibuang masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out discards</source>
        <translation>Dibuang keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Temperature</source>
        <translation>Suhu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signal</source>
        <translation>Sinyal</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+300"/>
        <source>Sessions</source>
        <translation>Sesi</translation>
    </message>
    <message>
        <location line="-207"/>
        <source>Config backups…</source>
        <translation>Cadangan konfigurasi…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Saved configurations of this device, differences, back up now</source>
        <translation>Konfigurasi tersimpan perangkat ini, perbedaannya, cadangkan sekarang</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>State since</source>
        <translation>Status sejak</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last check</source>
        <translation>Pemeriksaan terakhir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sysName</source>
        <translation>sysName</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Device uptime</source>
        <translation>Waktu hidup perangkat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sysDescr</source>
        <translation>sysDescr</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>1 h</source>
        <translation>1 jam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>24 h</source>
        <translation>24 jam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>7 d</source>
        <translation>7 hari</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>30 d</source>
        <translation>30 hari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 y</source>
        <translation>1 tahun</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Custom…</source>
        <translation>Khusus…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Interfaces (click one to chart its traffic)</source>
        <translation>Antarmuka (klik salah satu untuk grafik trafiknya)</translation>
    </message>
    <message>
        <location line="+135"/>
        <source>Latency</source>
        <translation>Latensi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Traffic</source>
        <translation>Trafik</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors</source>
        <translation>Galat</translation>
    </message>
    <message>
        <location line="-305"/>
        <location line="+305"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location line="-304"/>
        <location line="+304"/>
        <source>Memory</source>
        <translation>Memori</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optical</source>
        <translation>Optik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Temp.</source>
        <translation>Suhu</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Radio signal</source>
        <translation>Sinyal radio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Availability: {pct}</source>
        <translation>Ketersediaan: {pct}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>one point per {res}</source>
        <translation>satu titik per {res}</translation>
    </message>
</context>
<context>
    <name>DiscoveryDialog</name>
    <message>
        <location filename="../../ui/discovery_dialog.py" line="+44"/>
        <source>Discover devices</source>
        <translation>Temukan perangkat</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>e.g. 10.20.1.0/24</source>
        <translation>mis. 10.20.1.0/24</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Allow a range…</source>
        <translation>Izinkan rentang…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Remove</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Range to sweep</source>
        <translation>Rentang yang dipindai</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Allowed ranges</source>
        <translation>Rentang yang diizinkan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>SNMP credential</source>
        <translation>Kredensial SNMP</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Start sweep</source>
        <translation>&amp;Mulai pindai</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel sweep</source>
        <translation>Batalkan pemindaian</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>sysDescr</source>
        <translation>sysDescr</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Known as</source>
        <translation>Terdaftar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Add ticked devices</source>
        <translation>&amp;Tambahkan perangkat yang dicentang</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>as kind</source>
        <translation>dengan jenis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>at site</source>
        <translation>di lokasi</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sweep a range</source>
        <translation>Pindai rentang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow neighbours</source>
        <translation>Telusuri tetangga</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>(ping only)</source>
        <translation>(hanya ping)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Allow a range</source>
        <translation>Izinkan rentang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A network you manage, in CIDR form (e.g. 10.20.0.0/16):</source>
        <translation>Jaringan yang Anda kelola, dalam bentuk CIDR (mis. 10.20.0.0/16):</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Sweeping {cidr}…</source>
        <translation>Memindai {cidr}…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{n} host(s) answered, {new} not monitored yet.</source>
        <translation>{n} host menjawab, {new} belum dipantau.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sweep cancelled. </source>
        <translation>Pemindaian dibatalkan. </translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{n} device(s) added.</source>
        <translation>{n} perangkat ditambahkan.</translation>
    </message>
</context>
<context>
    <name>EndCard</name>
    <message>
        <location filename="../../ui/link_page.py" line="+95"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speed</source>
        <translation>Kecepatan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utilisation</source>
        <translation>Utilisasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rx power</source>
        <translation>Daya Rx</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tx power</source>
        <translation>Daya Tx</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Errors</source>
        <translation>Galat</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Open the device page of {name} ({address})</source>
        <translation>Buka halaman perangkat {name} ({address})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>not known</source>
        <translation>tidak diketahui</translation>
    </message>
</context>
<context>
    <name>EngineBanner</name>
    <message>
        <location filename="../../ui/banner.py" line="+24"/>
        <source>Start polling</source>
        <translation>Mulai pemantauan</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Polling is not running: no engine has polled this database yet.</source>
        <translation>Pemantauan tidak berjalan: belum ada mesin pemantau yang memakai basis data ini.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Polling is not running: the last engine heartbeat was {ago} ({when}). States shown are from then; nothing is being measured or alerted.</source>
        <translation>Pemantauan tidak berjalan: tanda hidup terakhir mesin pemantau {ago} ({when}). Status yang tampil berasal dari saat itu; saat ini tidak ada yang diukur atau diperingatkan.</translation>
    </message>
</context>
<context>
    <name>EventsView</name>
    <message>
        <location filename="../../ui/events_view.py" line="+50"/>
        <source>All severities</source>
        <translation>Semua tingkat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical</source>
        <translation>Kritis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Critical and warning</source>
        <translation>Kritis dan waspada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Info and above</source>
        <translation>Info ke atas</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+93"/>
        <source>All sites</source>
        <translation>Semua lokasi</translation>
    </message>
    <message>
        <location line="-91"/>
        <source>Last hour</source>
        <translation>Satu jam terakhir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 24 hours</source>
        <translation>24 jam terakhir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Last 7 days</source>
        <translation>7 hari terakhir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last 30 days</source>
        <translation>30 hari terakhir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All time</source>
        <translation>Seluruh waktu</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Open and acknowledged</source>
        <translation>Terbuka dan dikonfirmasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open only</source>
        <translation>Hanya yang terbuka</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All, with resolved</source>
        <translation>Semua, termasuk yang selesai</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Acknowledge…</source>
        <translation>&amp;Konfirmasi…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Go to device</source>
        <translation>Buka perangkat</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Show</source>
        <translation>Tampilkan</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Alerts</source>
        <translation>Peringatan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Event log</source>
        <translation>Log kejadian</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Alerts ({n} open)</source>
        <translation>Peringatan ({n} terbuka)</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <location filename="../../ui/import_wizard.py" line="+32"/>
        <source>Choose a CSV file</source>
        <translation>Pilih berkas CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One device per row. Columns: name, address, kind, site, group, parent, snmp_credential, ssh_credential, tags, notes, interval_s (name and address are required).</source>
        <translation>Satu perangkat per baris. Kolom: name, address, kind, site, group, parent, snmp_credential, ssh_credential, tags, notes, interval_s (name dan address wajib diisi).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>/path/to/devices.csv</source>
        <translation>/lokasi/berkas/perangkat.csv</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Device list</source>
        <translation>Daftar perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>Berkas CSV (*.csv);;Semua berkas (*)</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <location line="+120"/>
        <source>Import devices from CSV</source>
        <translation>Impor perangkat dari CSV</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <location filename="../../ui/link_dialogs.py" line="+68"/>
        <source>Edit link</source>
        <translation>Ubah tautan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add manual link</source>
        <translation>Tambah tautan manual</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>— choose a device —</source>
        <translation>— pilih perangkat —</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Fiber</source>
        <translation>Serat optik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copper</source>
        <translation>Tembaga</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wireless</source>
        <translation>Nirkabel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Provider (leased line)</source>
        <translation>Penyedia (sewa jaringan)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>from the ports</source>
        <translation>dari port-nya</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>e.g. FO Kec. Kutaraja (Telkom)</source>
        <translation>mis. FO Kec. Kutaraja (Telkom)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>End A</source>
        <translation>Ujung A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port A</source>
        <translation>Port A</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End B</source>
        <translation>Ujung B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port B</source>
        <translation>Port B</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium</source>
        <translation>Media</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Capacity</source>
        <translation>Kapasitas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>— not known —</source>
        <translation>— tidak diketahui —</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose two different devices for the two ends.</source>
        <translation>Pilih dua perangkat berbeda untuk kedua ujung.</translation>
    </message>
</context>
<context>
    <name>LinkPage</name>
    <message>
        <location filename="../../ui/link_page.py" line="+35"/>
        <source>Back to the map (Esc)</source>
        <translation>Kembali ke peta (Esc)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Edit link…</source>
        <translation>Ubah tautan…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>End A</source>
        <translation>Ujung A</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>End B</source>
        <translation>Ujung B</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>1 h</source>
        <translation>1 jam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>24 h</source>
        <translation>24 jam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>7 d</source>
        <translation>7 hari</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>30 d</source>
        <translation>30 hari</translation>
    </message>
    <message>
        <location line="+87"/>
        <source>stale</source>
        <translation>usang</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fiber</source>
        <translation>Serat optik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copper</source>
        <translation>Tembaga</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wireless</source>
        <translation>Nirkabel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Provider</source>
        <translation>Penyedia</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>entered by hand</source>
        <translation>dimasukkan manual</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>found by LLDP</source>
        <translation>ditemukan lewat LLDP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>found by CDP</source>
        <translation>ditemukan lewat CDP</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>since {when}</source>
        <translation>sejak {when}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Availability: {pct}</source>
        <translation>Ketersediaan: {pct}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>one point per {res}</source>
        <translation>satu titik per {res}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Traffic</source>
        <translation>Trafik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Utilisation</source>
        <translation>Utilisasi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Errors</source>
        <translation>Galat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optical Rx power</source>
        <translation>Daya Rx optik</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Optical Tx power</source>
        <translation>Daya Tx optik</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Rx</source>
        <translation>Rx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tx</source>
        <translation>Tx</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in errors</source>
        <translation>galat masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out errors</source>
        <translation>galat keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>in discards</source>
        <translation>dibuang masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>out discards</source>
        <translation>dibuang keluar</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="+81"/>
        <source>nocdesk — {db}</source>
        <translation>nocdesk — {db}</translation>
    </message>
    <message>
        <location line="+92"/>
        <source>&amp;Add device…</source>
        <translation>&amp;Tambah perangkat…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a device to monitor</source>
        <translation>Tambahkan perangkat untuk dipantau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Import CSV…</source>
        <translation>&amp;Impor CSV…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import devices from a CSV file</source>
        <translation>Impor perangkat dari berkas CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Discover…</source>
        <translation>Te&amp;mukan perangkat…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find devices in an address range</source>
        <translation>Cari perangkat dalam satu rentang alamat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Follow neighbours…</source>
        <translation>Telu&amp;suri tetangga…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find new devices through the LLDP/CDP neighbours of known ones</source>
        <translation>Temukan perangkat baru lewat tetangga LLDP/CDP dari perangkat yang sudah dikenal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Credentials…</source>
        <translation>&amp;Kredensial…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SNMP communities, SNMPv3 users and SSH logins for polling and backups</source>
        <translation>Community SNMP, pengguna SNMPv3 dan login SSH untuk pemantauan dan cadangan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Unlock saved passwords…</source>
        <translation>&amp;Buka kata sandi tersimpan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enter the master password of the encrypted secrets file</source>
        <translation>Masukkan kata sandi utama berkas rahasia terenkripsi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings…</source>
        <translation>Pen&amp;gaturan…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Quit</source>
        <translation>&amp;Keluar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop polling and exit</source>
        <translation>Hentikan pemantauan lalu keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dashboard</source>
        <translation>&amp;Dasbor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Events and alerts</source>
        <translation>Ke&amp;jadian dan peringatan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Topology map</source>
        <translation>Peta &amp;topologi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Refresh</source>
        <translation>&amp;Muat ulang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read everything again (F5)</source>
        <translation>Baca ulang semua data (F5)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Filter devices</source>
        <translation>&amp;Saring perangkat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Edit device…</source>
        <translation>&amp;Ubah perangkat…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Remove device</source>
        <translation>&amp;Hapus perangkat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Maintenance windows…</source>
        <translation>Jadwal &amp;pemeliharaan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Alert &amp;rules…</source>
        <translation>&amp;Aturan peringatan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Thresholds for optics, utilisation, latency, CPU and more, per device, group or site</source>
        <translation>Ambang batas optik, utilisasi, latensi, CPU dan lainnya, per perangkat, grup atau lokasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Reports…</source>
        <translation>&amp;Laporan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Monthly uptime report as PDF, XLSX or CSV</source>
        <translation>Laporan ketersediaan bulanan dalam PDF, XLSX atau CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Config backups…</source>
        <translation>Cadangan &amp;konfigurasi…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch configurations: versions, differences, back up now</source>
        <translation>Konfigurasi switch: versi, perbedaan, cadangkan sekarang</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Back up database…</source>
        <translation>&amp;Cadangkan basis data…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy all of nocdesk&apos;s data to a file</source>
        <translation>Salin seluruh data nocdesk ke sebuah berkas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Res&amp;tore database…</source>
        <translation>&amp;Pulihkan basis data…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Replace all of nocdesk&apos;s data with a backup copy</source>
        <translation>Ganti seluruh data nocdesk dengan salinan cadangan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>De&amp;livery log…</source>
        <translation>&amp;Log pengiriman…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every alert message sent or tried: channel, recipient, status, error</source>
        <translation>Setiap pesan peringatan yang dikirim atau dicoba: kanal, penerima, status, galat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About nocdesk</source>
        <translation>&amp;Tentang nocdesk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;View</source>
        <translation>Tampi&amp;lan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Devices</source>
        <translation>&amp;Perangkat</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>Ba&amp;ntuan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Main</source>
        <translation>Utama</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Refreshed</source>
        <translation>Dimuat ulang</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not read the database: {err}</source>
        <translation>Basis data tidak dapat dibaca: {err}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Updated {time}</source>
        <translation>Diperbarui {time}</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Working…</source>
        <translation>Sedang bekerja…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Starting the polling engine…</source>
        <translation>Menyalakan mesin pemantau…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Polling in this window</source>
        <translation>Pemantauan berjalan di jendela ini</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Polling starting…</source>
        <translation>Pemantauan dimulai…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Viewer: another engine polls this database ({who})</source>
        <translation>Penampil: mesin pemantau lain memakai basis data ini ({who})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Viewer only: {why}</source>
        <translation>Hanya penampil: {why}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Viewer: polled by nocdesk on {host} (process {pid})</source>
        <translation>Penampil: dipantau oleh nocdesk di {host} (proses {pid})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Polling failed to start: {why}</source>
        <translation>Pemantauan gagal dimulai: {why}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Polling stopped</source>
        <translation>Pemantauan berhenti</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>  ·  {n} devices, {i} interfaces</source>
        <translation>  ·  {n} perangkat, {i} antarmuka</translation>
    </message>
    <message>
        <location line="+113"/>
        <source>Remove devices</source>
        <translation>Hapus perangkat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove {n} device(s) and all their history?
{names}</source>
        <translation>Hapus {n} perangkat beserta seluruh riwayatnya?
{names}</translation>
    </message>
    <message>
        <location line="+159"/>
        <source>nocdesk keeps monitoring here. Quit from this menu or with Ctrl+Q to stop polling.</source>
        <translation>nocdesk tetap memantau dari sini. Pilih Keluar di menu ini atau tekan Ctrl+Q untuk menghentikan pemantauan.</translation>
    </message>
</context>
<context>
    <name>MaintenanceDialog</name>
    <message>
        <location filename="../../ui/maintenance_dialog.py" line="+41"/>
        <source>Maintenance windows</source>
        <translation>Jadwal pemeliharaan</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>&amp;New</source>
        <translation>&amp;Baru</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Delete</source>
        <translation>&amp;Hapus</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Everything</source>
        <translation>Semua</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A device</source>
        <translation>Satu perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>A site</source>
        <translation>Satu lokasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A group</source>
        <translation>Satu grup</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Once</source>
        <translation>Sekali</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every week</source>
        <translation>Setiap minggu</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Start</source>
        <translation>Mulai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Mon</source>
        <translation>Sen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tue</source>
        <translation>Sel</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Wed</source>
        <translation>Rab</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Thu</source>
        <translation>Kam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Fri</source>
        <translation>Jum</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sat</source>
        <translation>Sab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sun</source>
        <translation>Min</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Days</source>
        <translation>Hari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Starting at</source>
        <translation>Mulai pukul</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lasting</source>
        <translation>Selama</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>&amp;Save window</source>
        <translation>&amp;Simpan jadwal</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Covers</source>
        <translation>Mencakup</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Time zone</source>
        <translation>Zona waktu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Comment</source>
        <translation>Catatan</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>everything</source>
        <translation>semua</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what}: {start} – {end}</source>
        <translation>{what}: {start} – {end}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{what}: weekly, {minutes} min</source>
        <translation>{what}: mingguan, {minutes} menit</translation>
    </message>
</context>
<context>
    <name>NotificationsPanel</name>
    <message>
        <location filename="../../ui/notify_settings.py" line="+26"/>
        <source>Contacts</source>
        <translation>Kontak</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Besides the addresses above, alerts go to these people. Escalation contacts hear about a critical alert nobody acknowledged in time.</source>
        <translation>Selain alamat di atas, peringatan juga dikirim ke orang-orang ini. Kontak eskalasi diberi tahu tentang peringatan kritis yang tidak ditanggapi tepat waktu.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delivery log…</source>
        <translation>Log pengiriman…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>On this workstation</source>
        <translation>Di komputer ini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show a desktop notification</source>
        <translation>Tampilkan notifikasi desktop</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Play a sound on critical alerts</source>
        <translation>Bunyikan suara untuk peringatan kritis</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Critical only</source>
        <translation>Hanya kritis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning and critical</source>
        <translation>Waspada dan kritis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notify for</source>
        <translation>Beri tahu untuk</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>E-mail</source>
        <translation>Surel</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send alerts by e-mail</source>
        <translation>Kirim peringatan lewat surel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SMTP server</source>
        <translation>Server SMTP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>tanpa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Security</source>
        <translation>Keamanan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To (comma separated)</source>
        <translation>Kepada (pisahkan dengan koma)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The password is kept in the credential store of this computer, never in the database.</source>
        <translation>Kata sandi disimpan di penyimpanan kredensial komputer ini, tidak pernah di basis data.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send alerts to a Telegram chat</source>
        <translation>Kirim peringatan ke obrolan Telegram</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bot token</source>
        <translation>Token bot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat ID</source>
        <translation>ID obrolan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bot API server</source>
        <translation>Server Bot API</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Webhook</source>
        <translation>Webhook</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>POST alerts to a webhook</source>
        <translation>Kirim peringatan (POST) ke webhook</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reminders and escalation</source>
        <translation>Pengingat dan eskalasi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Never</source>
        <translation>Tidak pernah</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remind about an unacknowledged critical alert every</source>
        <translation>Ingatkan peringatan kritis yang belum ditanggapi setiap</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source> min</source>
        <translation> menit</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Tell the escalation contacts after</source>
        <translation>Beri tahu kontak eskalasi setelah</translation>
    </message>
</context>
<context>
    <name>PinParentDialog</name>
    <message>
        <location filename="../../ui/link_dialogs.py" line="-97"/>
        <source>Parent of {name}</source>
        <translation>Induk {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Automatic (from the topology)</source>
        <translation>Otomatis (dari topologi)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Alerts for {name} are held back while its parent is down. A pinned parent is kept when the topology is discovered again.</source>
        <translation>Peringatan untuk {name} ditahan selama induknya mati. Induk yang ditetapkan tetap dipakai saat topologi ditemukan ulang.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Parent</source>
        <translation>Induk</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <location filename="../../ui/import_wizard.py" line="-109"/>
        <source>Check the rows</source>
        <translation>Periksa baris</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rows that cannot be imported are listed with their line in the file.</source>
        <translation>Baris yang tidak dapat diimpor dicantumkan beserta nomor barisnya di berkas.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+23"/>
        <source>Reading…</source>
        <translation>Membaca…</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Line</source>
        <translation>Baris</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Problem</source>
        <translation>Masalah</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Import the valid rows and skip the rejected ones</source>
        <translation>Impor baris yang benar dan lewati yang ditolak</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Import nothing unless every row is valid</source>
        <translation>Jangan impor apa pun kecuali semua baris benar</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>{valid} row(s) can be imported, {bad} row(s) rejected.</source>
        <translation>{valid} baris dapat diimpor, {bad} baris ditolak.</translation>
    </message>
</context>
<context>
    <name>ReportDialog</name>
    <message>
        <location filename="../../ui/report_dialog.py" line="+184"/>
        <source>Uptime report</source>
        <translation>Laporan ketersediaan</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>A report covers one whole calendar month, in each site&apos;s time zone.</source>
        <translation>Satu laporan mencakup satu bulan kalender penuh, menurut zona waktu setiap lokasi.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Whole agency</source>
        <translation>Seluruh instansi</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Report</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Month</source>
        <translation>Bulan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scope</source>
        <translation>Cakupan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Formats</source>
        <translation>Format</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save to</source>
        <translation>Simpan ke</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Counting rules</source>
        <translation>Aturan perhitungan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unreachable time (behind a failed device or link)</source>
        <translation>Waktu tak terjangkau (di belakang perangkat atau tautan yang gagal)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown time (monitor not running, gaps in checks)</source>
        <translation>Waktu tidak diketahui (pemantau tidak berjalan, celah pemeriksaan)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Maintenance windows are always left out. The rules are printed in the report.</source>
        <translation>Jadwal pemeliharaan selalu dikecualikan. Aturannya dicetak di laporan.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Generate</source>
        <translation>&amp;Buat laporan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Open file</source>
        <translation>Buka berkas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open folder</source>
        <translation>Buka folder</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Preview</source>
        <translation>Pratinjau</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Left out (shown separately)</source>
        <translation>Dikecualikan (ditampilkan terpisah)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counted as downtime</source>
        <translation>Dihitung sebagai waktu mati</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counted as available</source>
        <translation>Dihitung sebagai tersedia</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Site: {name}</source>
        <translation>Lokasi: {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Group: {name}</source>
        <translation>Grup: {name}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save reports to</source>
        <translation>Simpan laporan ke</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Tick at least one format.</source>
        <translation>Centang minimal satu format.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Choose the folder to save the report in.</source>
        <translation>Pilih folder untuk menyimpan laporan.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Preparing the report…</source>
        <translation>Menyiapkan laporan…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Cancelling…</source>
        <translation>Membatalkan…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Cancelled. No files were written.</source>
        <translation>Dibatalkan. Tidak ada berkas yang ditulis.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The report could not be made: {error}</source>
        <translation>Laporan tidak dapat dibuat: {error}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{n} file(s) saved in {folder}:
{names}</source>
        <translation>{n} berkas disimpan di {folder}:
{names}</translation>
    </message>
</context>
<context>
    <name>ReportPreview</name>
    <message>
        <location line="-319"/>
        <source>Generate a report to see a preview here.</source>
        <translation>Buat laporan untuk melihat pratinjaunya di sini.</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <location filename="../../ui/import_wizard.py" line="+23"/>
        <source>Import</source>
        <translation>Impor</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The valid rows become devices.</source>
        <translation>Baris yang benar menjadi perangkat.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Importing…</source>
        <translation>Mengimpor…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nothing was imported: {n} row(s) were rejected and you chose all or nothing.</source>
        <translation>Tidak ada yang diimpor: {n} baris ditolak dan Anda memilih semua atau tidak sama sekali.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{n} device(s) added. They are polled from the next cycle on.</source>
        <translation>{n} perangkat ditambahkan. Perangkat dipantau mulai siklus berikutnya.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} rejected row(s) were skipped.</source>
        <translation>{n} baris yang ditolak dilewati.</translation>
    </message>
</context>
<context>
    <name>SecretField</name>
    <message>
        <location filename="../../ui/notify_settings.py" line="-236"/>
        <source>saved</source>
        <translation>tersimpan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>not set</source>
        <translation>belum diisi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>locked</source>
        <translation>terkunci</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>saved — leave empty to keep it</source>
        <translation>tersimpan — kosongkan untuk tetap memakainya</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>saved passwords are locked</source>
        <translation>kata sandi tersimpan sedang terkunci</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../ui/settings_dialog.py" line="+59"/>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Polling</source>
        <translation>Pemantauan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retention</source>
        <translation>Masa simpan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notifications</source>
        <translation>Notifikasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Config backup</source>
        <translation>Cadangan konfigurasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Display</source>
        <translation>Tampilan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency</source>
        <translation>Instansi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reports</source>
        <translation>Laporan</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Check every (new devices)</source>
        <translation>Periksa setiap (perangkat baru)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ping timeout</source>
        <translation>Batas waktu ping</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pings per check</source>
        <translation>Jumlah ping per pemeriksaan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down after failed checks</source>
        <translation>Dianggap mati setelah gagal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Default SNMP credential</source>
        <translation>Kredensial SNMP bawaan</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> days</source>
        <translation> hari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Raw samples</source>
        <translation>Sampel mentah</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>5-minute averages</source>
        <translation>Rata-rata 5 menit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hourly averages</source>
        <translation>Rata-rata per jam</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Daily averages are kept for good.</source>
        <translation>Rata-rata harian disimpan selamanya.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Events</source>
        <translation>Kejadian</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Back up every</source>
        <translation>Cadangkan setiap</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>e.g. 02:30; empty = by the interval above</source>
        <translation>mis. 02:30; kosong = menurut interval di atas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Daily at (local time)</source>
        <translation>Setiap hari pukul (waktu setempat)</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Map: link amber from</source>
        <translation>Peta: tautan kuning mulai</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Map: link red from</source>
        <translation>Peta: tautan merah mulai</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Monthly report</source>
        <translation>Laporan bulanan</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Write last month&apos;s report on the first day of each month</source>
        <translation>Buat laporan bulan lalu setiap tanggal 1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(the reports folder in nocdesk&apos;s data folder)</source>
        <translation>(folder reports di dalam folder data nocdesk)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Save to</source>
        <translation>Simpan ke</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail to (comma separated)</source>
        <translation>Kirim surel ke (pisahkan dengan koma)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The files are sent through the SMTP server set on the Notifications tab.</source>
        <translation>Berkas dikirim lewat server SMTP yang diatur di tab Notifikasi.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Signatures</source>
        <translation>Tanda tangan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Acknowledged by (head of the agency)</source>
        <translation>Mengetahui (kepala instansi)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prepared by</source>
        <translation>Dibuat oleh</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Position</source>
        <translation>Jabatan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rank</source>
        <translation>Pangkat/golongan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>NIP</source>
        <translation>NIP</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Save reports to</source>
        <translation>Simpan laporan ke</translation>
    </message>
    <message>
        <location line="-143"/>
        <source> h</source>
        <translation> jam</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Never (on demand only)</source>
        <translation>Tidak pernah (hanya bila diminta)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>24 h backs up every switch once a day; the polling engine starts the run.</source>
        <translation>24 jam berarti setiap switch dicadangkan sekali sehari; mesin pemantau yang memulainya.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Keep per device</source>
        <translation>Simpan per perangkat</translation>
    </message>
    <message>
        <location line="-1"/>
        <source> versions</source>
        <translation> versi</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>All versions</source>
        <translation>Semua versi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Devices at the same time</source>
        <translation>Perangkat sekaligus</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>(no git export)</source>
        <translation>(tanpa ekspor git)</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+11"/>
        <source>Git export folder</source>
        <translation>Folder ekspor git</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>Hide passwords and secrets in the git export</source>
        <translation>Sembunyikan kata sandi dan rahasia di ekspor git</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One file per device and one commit per backup run that changed something. Without hiding, anyone who can read the folder can read the devices&apos; passwords.</source>
        <translation>Satu berkas per perangkat dan satu commit per proses pencadangan yang mengubah sesuatu. Tanpa disembunyikan, siapa pun yang bisa membaca folder itu bisa membaca kata sandi perangkat.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>System default</source>
        <translation>Ikuti sistem</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+67"/>
        <source>Language</source>
        <translation>Bahasa</translation>
    </message>
    <message>
        <location line="-66"/>
        <source>A new language applies after restarting nocdesk.</source>
        <translation>Bahasa baru berlaku setelah nocdesk dijalankan ulang.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>WIB — Western Indonesia</source>
        <translation>WIB — Waktu Indonesia Barat</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>WITA — Central Indonesia</source>
        <translation>WITA — Waktu Indonesia Tengah</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WIT — Eastern Indonesia</source>
        <translation>WIT — Waktu Indonesia Timur</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Time zone</source>
        <translation>Zona waktu</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Closing the window keeps monitoring in the tray</source>
        <translation>Menutup jendela tetap memantau dari baki sistem</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Parent body</source>
        <translation>Instansi induk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agency name</source>
        <translation>Nama instansi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unit</source>
        <translation>Unit kerja</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>City (for report signatures)</source>
        <translation>Kota (untuk tanda tangan laporan)</translation>
    </message>
    <message>
        <location line="-50"/>
        <location line="+52"/>
        <location line="+47"/>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <location line="-42"/>
        <source>Logo for reports</source>
        <translation>Logo untuk laporan</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Logo</source>
        <translation>Logo</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images (*.png *.jpg *.svg)</source>
        <translation>Gambar (*.png *.jpg *.svg)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>(none)</source>
        <translation>(tidak ada)</translation>
    </message>
</context>
<context>
    <name>SnmpForm</name>
    <message>
        <location filename="../../ui/credential_forms.py" line="+70"/>
        <source> s</source>
        <translation> detik</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Version</source>
        <translation>Versi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Community</source>
        <translation>Community</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security level</source>
        <translation>Tingkat keamanan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Authentication</source>
        <translation>Autentikasi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Privacy</source>
        <translation>Privasi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>UDP port</source>
        <translation>Port UDP</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>timeout</source>
        <translation>batas waktu</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>retries</source>
        <translation>percobaan ulang</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Connection</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>password</source>
        <translation>kata sandi</translation>
    </message>
</context>
<context>
    <name>SshForm</name>
    <message>
        <location line="+66"/>
        <source>optional: log in with a private key instead of (or besides) a password</source>
        <translation>opsional: login dengan kunci privat sebagai pengganti (atau selain) kata sandi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Forget the saved password and enable secret</source>
        <translation>Lupakan kata sandi dan enable secret yang tersimpan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Username</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Private key file</source>
        <translation>Berkas kunci privat</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Enable secret</source>
        <translation>Enable secret</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TCP port</source>
        <translation>Port TCP</translation>
    </message>
</context>
<context>
    <name>TestRow</name>
    <message>
        <location filename="../../ui/notify_settings.py" line="+11"/>
        <source>Send test</source>
        <translation>Kirim uji</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sending…</source>
        <translation>Mengirim…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>this workstation</source>
        <translation>komputer ini</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ queued for the desktop notification</source>
        <translation>✓ diantrekan untuk notifikasi desktop</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✓ {to}: delivered</source>
        <translation>✓ {to}: terkirim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>✗ {to}: {what} — {error}</source>
        <translation>✗ {to}: {what} — {error}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>✗ {error}</source>
        <translation>✗ {error}</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <location filename="../../ui/charts.py" line="+229"/>
        <source>{state} from {start} to {end} ({duration})</source>
        <translation>{state} dari {start} sampai {end} ({duration})</translation>
    </message>
</context>
<context>
    <name>TopologyPage</name>
    <message>
        <location filename="../../ui/topology_page.py" line="+52"/>
        <source>Overview</source>
        <translation>Ikhtisar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Find device…</source>
        <translation>Cari perangkat…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Map:</source>
        <translation>Peta:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fit</source>
        <translation>Paskan</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Export PNG…</source>
        <translation>Ekspor PNG…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export SVG…</source>
        <translation>Ekspor SVG…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Background…</source>
        <translation>Latar belakang…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add link…</source>
        <translation>Tambah tautan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dependencies…</source>
        <translation>Ketergantungan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+163"/>
        <source>Re-layout</source>
        <translation>Tata ulang</translation>
    </message>
    <message>
        <location line="-117"/>
        <source>{devices} devices, {links} links, {down} down</source>
        <translation>{devices} perangkat, {links} tautan, {down} mati</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No device matches “{text}”</source>
        <translation>Tidak ada perangkat yang cocok dengan “{text}”</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+5"/>
        <source>Export map</source>
        <translation>Ekspor peta</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Background image</source>
        <translation>Gambar latar belakang</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images (*.png *.jpg *.jpeg)</source>
        <translation>Gambar (*.png *.jpg *.jpeg)</translation>
    </message>
    <message>
        <location line="+68"/>
        <source>Remove manual link</source>
        <translation>Hapus tautan manual</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the manual link {name}?</source>
        <translation>Hapus tautan manual {name}?</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Lay this map out again in layers? Every device moves; the positions you arranged are forgotten.</source>
        <translation>Tata ulang peta ini berlapis? Semua perangkat berpindah; posisi yang sudah Anda atur akan hilang.</translation>
    </message>
</context>
<context>
    <name>TopologyView</name>
    <message>
        <location filename="../../ui/topology_view.py" line="+147"/>
        <source>Open device</source>
        <translation>Buka perangkat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Pin parent…</source>
        <translation>Tetapkan induk…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add manual link…</source>
        <translation>Tambah tautan manual…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open link page</source>
        <translation>Buka halaman tautan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Edit link…</source>
        <translation>Ubah tautan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove manual link</source>
        <translation>Hapus tautan manual</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Found by discovery: it is kept (stale) when no longer seen</source>
        <translation>Ditemukan lewat penemuan: tetap disimpan (usang) bila tidak terlihat lagi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fit</source>
        <translation>Paskan</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <location filename="../../ui/tray.py" line="+31"/>
        <source>Show nocdesk</source>
        <translation>Tampilkan nocdesk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Quit (stops polling)</source>
        <translation>Keluar (pemantauan berhenti)</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{n} new alerts</source>
        <translation>{n} peringatan baru</translation>
    </message>
</context>
<context>
    <name>UnlockPrompt</name>
    <message>
        <location filename="../../ui/unlock.py" line="-114"/>
        <source>Unlock saved passwords</source>
        <translation>Buka kata sandi tersimpan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This computer has no system keyring, so nocdesk keeps the SNMP community strings and SSH passwords in an encrypted file. Enter its master password so that polling, Test and config backups can use them.</source>
        <translation>Komputer ini tidak punya keyring sistem, jadi nocdesk menyimpan community SNMP dan kata sandi SSH di berkas terenkripsi. Masukkan kata sandi induknya agar pemantauan, Uji dan cadangan konfigurasi dapat memakainya.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Unlock</source>
        <translation>&amp;Buka</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Later</source>
        <translation>&amp;Nanti</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Master password</source>
        <translation>Kata sandi induk</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Type the master password first.</source>
        <translation>Ketik dulu kata sandi induknya.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking…</source>
        <translation>Memeriksa…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Try again, or choose Later.</source>
        <translation>Coba lagi, atau pilih Nanti.</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Saved passwords are locked: SNMP polling and backups that need them wait. Unlock them with File ▸ Unlock saved passwords…</source>
        <translation>Kata sandi tersimpan terkunci: pemantauan SNMP dan pencadangan yang memerlukannya menunggu. Buka dengan Berkas ▸ Buka kata sandi tersimpan…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved passwords unlocked.</source>
        <translation>Kata sandi tersimpan sudah dibuka.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>No saved passwords yet: you choose a master password when you save the first credential (Devices ▸ Credentials…).</source>
        <translation>Belum ada kata sandi tersimpan: Anda memilih kata sandi induk saat menyimpan kredensial pertama (Perangkat ▸ Kredensial…).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved passwords are already available.</source>
        <translation>Kata sandi tersimpan sudah tersedia.</translation>
    </message>
</context>
<context>
    <name>_BusyDialog</name>
    <message>
        <location filename="../../ui/db_dialogs.py" line="+62"/>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../ui/app.py" line="+154"/>
        <source>The demo network is not part of this installation.</source>
        <translation>Jaringan demo tidak termasuk dalam instalasi ini.</translation>
    </message>
</context>
<context>
    <name>db_dialogs</name>
    <message>
        <location filename="../../ui/db_dialogs.py" line="+29"/>
        <location line="+7"/>
        <source>Back up the database</source>
        <translation>Cadangkan basis data</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>nocdesk database (*.db)</source>
        <translation>Basis data nocdesk (*.db)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Copying {db} to {target}…</source>
        <translation>Menyalin {db} ke {target}…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Backup written to {path} ({mb} MB). Its integrity check passed; keep it on another disk or computer.</source>
        <translation>Cadangan ditulis ke {path} ({mb} MB). Pemeriksaan integritasnya lolos; simpan di disk atau komputer lain.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The backup failed: {error}</source>
        <translation>Pencadangan gagal: {error}</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Restore the database from a backup</source>
        <translation>Pulihkan basis data dari cadangan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nocdesk database (*.db);;All files (*)</source>
        <translation>Basis data nocdesk (*.db);;Semua berkas (*)</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+4"/>
        <location line="+11"/>
        <location line="+7"/>
        <source>Restore the database</source>
        <translation>Pulihkan basis data</translation>
    </message>
    <message>
        <location line="-18"/>
        <source>Another nocdesk process is polling this database ({holder}), e.g. the &apos;nocdesk poll&apos; service. Stop it first, then restore again.</source>
        <translation>Proses nocdesk lain sedang memantau basis data ini ({holder}), mis. layanan &apos;nocdesk poll&apos;. Hentikan dulu, lalu pulihkan lagi.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replace the database
{db}
with the backup
{source} (saved {when})?

Every device, measurement, alert and setting recorded since that backup is replaced. The current database is kept next to it as a .before-restore copy.

Monitoring in this window stops during the restore, and nocdesk then restarts on the restored data.</source>
        <translation>Ganti basis data
{db}
dengan cadangan
{source} (disimpan {when})?

Semua perangkat, pengukuran, peringatan dan pengaturan yang tercatat sejak cadangan itu akan diganti. Basis data saat ini disimpan di sebelahnya sebagai salinan .before-restore.

Pemantauan di jendela ini berhenti selama pemulihan, lalu nocdesk dijalankan ulang dengan data hasil pemulihan.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Restoring {source} into {db}…</source>
        <translation>Memulihkan {source} ke {db}…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The restore failed: {error}
The database was not replaced unless the message says so; nocdesk restarts when you close this window.</source>
        <translation>Pemulihan gagal: {error}
Basis data tidak diganti kecuali pesan menyebutkannya; nocdesk dijalankan ulang saat Anda menutup jendela ini.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>
The previous database was kept as {kept}.</source>
        <translation>
Basis data sebelumnya disimpan sebagai {kept}.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Restored {source}.{kept}
nocdesk restarts when you close this window.</source>
        <translation>{source} dipulihkan.{kept}
nocdesk dijalankan ulang saat Anda menutup jendela ini.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>process {pid} on {host}</source>
        <translation>proses {pid} di {host}</translation>
    </message>
</context>
<context>
    <name>dialog</name>
    <message>
        <location filename="../../ui/unlock.py" line="+17"/>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
</context>
<context>
    <name>fmt</name>
    <message>
        <location filename="../../ui/fmt.py" line="+67"/>
        <source>s</source>
        <translation>dtk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>min</source>
        <translation>mnt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>h</source>
        <translation>jam</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>d</source>
        <translation>hari</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} {unit} ago</source>
        <translation>{n} {unit} lalu</translation>
    </message>
</context>
<context>
    <name>kind</name>
    <message>
        <location line="+61"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Switch</source>
        <translation>Switch</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Firewall</source>
        <translation>Firewall</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Access point</source>
        <translation>Access point</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Wireless bridge</source>
        <translation>Jembatan nirkabel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>UPS</source>
        <translation>UPS</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CCTV camera</source>
        <translation>Kamera CCTV</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Printer</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Workstation</source>
        <translation>Komputer kerja</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other</source>
        <translation>Lainnya</translation>
    </message>
</context>
<context>
    <name>models</name>
    <message>
        <location filename="../../ui/models.py" line="+213"/>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+71"/>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <location line="-70"/>
        <location line="+56"/>
        <location line="+16"/>
        <source>Site</source>
        <translation>Lokasi</translation>
    </message>
    <message>
        <location line="-71"/>
        <source>RTT</source>
        <translation>RTT</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Loss</source>
        <translation>Hilang</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Uptime</source>
        <translation>Ketersediaan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Availability over the last 24 hours</source>
        <translation>Ketersediaan selama 24 jam terakhir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last change</source>
        <translation>Berubah</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interface</source>
        <translation>Antarmuka</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Speed</source>
        <translation>Kecepatan</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+20"/>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>In</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Util in</source>
        <translation>Util. masuk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Util out</source>
        <translation>Util. keluar</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Open</source>
        <translation>Terbuka</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+10"/>
        <source>Acknowledged</source>
        <translation>Dikonfirmasi</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>Resolved</source>
        <translation>Selesai</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+17"/>
        <source>Severity</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Opened</source>
        <translation>Dibuka</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+16"/>
        <source>Device</source>
        <translation>Perangkat</translation>
    </message>
    <message>
        <location line="-14"/>
        <location line="+16"/>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>All devices</source>
        <translation>Semua perangkat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No site</source>
        <translation>Tanpa lokasi</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Groups</source>
        <translation>Grup</translation>
    </message>
</context>
<context>
    <name>ops</name>
    <message>
        <location filename="../../ui/ops.py" line="+188"/>
        <source>Something went wrong: {error}</source>
        <translation>Terjadi kesalahan: {error}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>nocdesk</source>
        <translation>nocdesk</translation>
    </message>
</context>
<context>
    <name>severity</name>
    <message>
        <location filename="../../ui/fmt.py" line="+7"/>
        <source>Critical</source>
        <translation>Kritis</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Warning</source>
        <translation>Waspada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Info</source>
        <translation>Info</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Debug</source>
        <translation>Debug</translation>
    </message>
</context>
<context>
    <name>sitekind</name>
    <message>
        <location line="+7"/>
        <source>Data centers</source>
        <translation>Pusat data</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kecamatan</source>
        <translation>Kecamatan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>OPD offices</source>
        <translation>Kantor OPD</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Other sites</source>
        <translation>Lokasi lainnya</translation>
    </message>
</context>
<context>
    <name>state</name>
    <message>
        <location line="-43"/>
        <source>Up</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Down</source>
        <translation>Mati</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unreachable</source>
        <translation>Tak terjangkau</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Degraded</source>
        <translation>Menurun</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Maintenance</source>
        <translation>Pemeliharaan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown</source>
        <translation>Tidak diketahui</translation>
    </message>
</context>
</TS>
