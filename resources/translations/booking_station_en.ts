<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AnswerNotices</name>
    <message numerus="yes">
        <source>New answers: %n (F6)</source>
        <translation>
            <numerusform>New answer: %n (F6)</numerusform>
            <numerusform>New answers: %n (F6)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BookingDetailsPage</name>
    <message numerus="yes">
        <source>Not saved: %n field(s) to correct.</source>
        <translation>
            <numerusform>Not saved: %n field to correct.</numerusform>
            <numerusform>Not saved: %n fields to correct.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>BookingsPage</name>
    <message numerus="yes">
        <source>%n booking(s)</source>
        <translation>
            <numerusform>%n booking</numerusform>
            <numerusform>%n bookings</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CapturePage</name>
    <message numerus="yes">
        <source>%n finger(s) expected</source>
        <translation>
            <numerusform>%n finger expected</numerusform>
            <numerusform>%n fingers expected</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n seen</source>
        <translation>
            <numerusform>%n seen</numerusform>
            <numerusform>%n seen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DiagnosticsPage</name>
    <message numerus="yes">
        <source>Recording: place a finger on the scanner for each of %n print(s).</source>
        <translation>
            <numerusform>Recording: place a finger on the scanner for the %n print.</numerusform>
            <numerusform>Recording: place a finger on the scanner for each of %n prints.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Responses</name>
    <message numerus="yes">
        <source>FBI: rejected, %n error(s) to fix</source>
        <translation>
            <numerusform>FBI: rejected, %n error to fix</numerusform>
            <numerusform>FBI: rejected, %n errors to fix</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>TCN {tcn}, %n attempt(s).</source>
        <translation>
            <numerusform>TCN {tcn}, %n attempt.</numerusform>
            <numerusform>TCN {tcn}, %n attempts.</numerusform>
        </translation>
    </message>
</context>
</TS>
