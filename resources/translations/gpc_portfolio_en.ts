<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- English plural forms for the window's %n strings, and the English of newer window strings
     (so that translators find them); compile with `make translations`. -->
<TS version="2.1" language="en_GB" sourcelanguage="en_GB">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation><numerusform>%Ln item</numerusform><numerusform>%Ln items</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Discarded %n unsaved draft(s).</source>
        <translation><numerusform>Discarded %n unsaved draft.</numerusform><numerusform>Discarded %n unsaved drafts.</numerusform></translation>
    </message>
</context>
<context>
    <name>EvidenceListPage</name>
    <message numerus="yes">
        <source>%Ln item(s)</source>
        <translation><numerusform>%Ln item</numerusform><numerusform>%Ln items</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s) in the trash</source>
        <translation><numerusform>%Ln item in the trash</numerusform><numerusform>%Ln items in the trash</numerusform></translation>
    </message>
</context>
<context>
    <name>DomainCard</name>
    <message numerus="yes">
        <source>%n item(s) in this domain</source>
        <translation><numerusform>%n item in this domain</numerusform><numerusform>%n items in this domain</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>⚠ No valid, vouched-for sign-off: %n need(s) attention</source>
        <translation><numerusform>⚠ No valid, vouched-for sign-off: %n needs attention</numerusform><numerusform>⚠ No valid, vouched-for sign-off: %n need attention</numerusform></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message numerus="yes">
        <source>%Ln item(s) in your portfolio; {covered} of 9 domains have evidence.</source>
        <translation><numerusform>%Ln item in your portfolio; {covered} of 9 domains have evidence.</numerusform><numerusform>%Ln items in your portfolio; {covered} of 9 domains have evidence.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln item(s) awaiting review by a supervisor</source>
        <translation><numerusform>%Ln item awaiting review by a supervisor</numerusform><numerusform>%Ln items awaiting review by a supervisor</numerusform></translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n sign-off(s)</source>
        <translation><numerusform>%n sign-off</numerusform><numerusform>%n sign-offs</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s)</source>
        <translation><numerusform>%n attachment</numerusform><numerusform>%n attachments</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n placement(s)</source>
        <translation><numerusform>%n placement</numerusform><numerusform>%n placements</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) found:</source>
        <translation><numerusform>%n problem found:</numerusform><numerusform>%n problems found:</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Moved %n item(s) to the trash. Undo with Ctrl+Z, or restore them from the Trash.</source>
        <translation><numerusform>Moved %n item to the trash. Undo with Ctrl+Z, or restore it from the Trash.</numerusform><numerusform>Moved %n items to the trash. Undo with Ctrl+Z, or restore them from the Trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Submitted %n item(s) for review.</source>
        <translation><numerusform>Submitted %n item for review.</numerusform><numerusform>Submitted %n items for review.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Restored %n item(s) from the trash.</source>
        <translation><numerusform>Restored %n item from the trash.</numerusform><numerusform>Restored %n items from the trash.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>{app} closed before %n draft(s) were saved. Reopen them so you can save them, or discard them?</source>
        <translation><numerusform>{app} closed before %n draft was saved. Reopen it so you can save it, or discard it?</numerusform><numerusform>{app} closed before %n drafts were saved. Reopen them so you can save them, or discard them?</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation><numerusform>%n item</numerusform><numerusform>%n items</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n revision(s)</source>
        <translation><numerusform>%n revision</numerusform><numerusform>%n revisions</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n possible piece(s)</source>
        <translation><numerusform>%n possible piece</numerusform><numerusform>%n possible pieces</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n new sign-off(s)</source>
        <translation><numerusform>%n new sign-off</numerusform><numerusform>%n new sign-offs</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>

Also issued credentials for %n earlier sign-off(s) of yours.</source>
        <translation><numerusform>

Also issued credentials for %n earlier sign-off of yours.</numerusform><numerusform>

Also issued credentials for %n earlier sign-offs of yours.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n selected item(s)</source>
        <translation><numerusform>%n selected item</numerusform><numerusform>%n selected items</numerusform></translation>
    </message>
    <message numerus="yes">
        <source> Credentials issued for %n sign-off(s) of this trainee.</source>
        <translation><numerusform> Credentials issued for %n sign-off of this trainee.</numerusform><numerusform> Credentials issued for %n sign-offs of this trainee.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>

No credential for %n earlier sign-off(s): nothing shows they were signed for {name} (not in your signing log for them).</source>
        <translation><numerusform>

No credential for %n earlier sign-off: nothing shows it was signed for {name} (not in your signing log for them).</numerusform><numerusform>

No credential for %n earlier sign-offs: nothing shows they were signed for {name} (not in your signing log for them).</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Locked after %n minute(s) without input.</source>
        <translation><numerusform>Locked after %n minute without input.</numerusform><numerusform>Locked after %n minutes without input.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n decision(s) recorded; all are signed together when you save the sign-off file.</source>
        <translation><numerusform>%n decision recorded; all are signed together when you save the sign-off file.</numerusform><numerusform>%n decisions recorded; all are signed together when you save the sign-off file.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Review pack from {name} (GMC {gmc}{programme}), made {when}: %n item(s)</source>
        <translation><numerusform>Review pack from {name} (GMC {gmc}{programme}), made {when}: %n item</numerusform><numerusform>Review pack from {name} (GMC {gmc}{programme}), made {when}: %n items</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Wrote %n signed record(s) to {file}.</source>
        <translation><numerusform>Wrote %n signed record to {file}.</numerusform><numerusform>Wrote %n signed records to {file}.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Signed %n decision(s) into {file}; send it back to {name}.</source>
        <translation><numerusform>Signed %n decision into {file}; send it back to {name}.</numerusform><numerusform>Signed %n decisions into {file}; send it back to {name}.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n signed decision(s) saved to
{path}

Send this file to {name}, who imports it into their portfolio.</source>
        <translation><numerusform>%n signed decision saved to
{path}

Send this file to {name}, who imports it into their portfolio.</numerusform><numerusform>%n signed decisions saved to
{path}

Send this file to {name}, who imports it into their portfolio.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Review pack of %n item(s) saved to {path}.</source>
        <translation><numerusform>Review pack of %n item saved to {path}.</numerusform><numerusform>Review pack of %n items saved to {path}.</numerusform></translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>&amp;Import a curriculum (CASE)…</source>
        <translation>&amp;Import a curriculum (CASE)…</translation>
    </message>
    <message>
        <source>Add a curriculum your college publishes as a 1EdTech CASE JSON file, then choose it here.</source>
        <translation>Add a curriculum your college publishes as a 1EdTech CASE JSON file, then choose it here.</translation>
    </message>
    <message>
        <source>Import a curriculum (1EdTech CASE)</source>
        <translation>Import a curriculum (1EdTech CASE)</translation>
    </message>
    <message>
        <source>CASE curriculum files (*.json);;All files (*)</source>
        <translation>CASE curriculum files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>Imported {title} ({edition}). Save to make it your curriculum.</source>
        <translation>Imported {title} ({edition}). Save to make it your curriculum.</translation>
    </message>
    <message>
        <source>Replaced {title} ({edition}). Save to make it your curriculum.</source>
        <translation>Replaced {title} ({edition}). Save to make it your curriculum.</translation>
    </message>
</context>
</TS>
