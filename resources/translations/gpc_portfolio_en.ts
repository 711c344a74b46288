<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- English plural forms for the window's %n strings; compile with `make translations`. -->
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
</TS>
