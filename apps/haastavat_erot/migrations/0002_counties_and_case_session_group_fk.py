"""Ship the 21 wellbeing services counties and the City of Helsinki, and make the database refuse
a case booked into another group's session (a composite foreign key Django cannot declare)."""

from django.db import migrations

COUNTIES = [
    # code, Finnish, Swedish, slug
    ("IU", "Itä-Uudenmaan hyvinvointialue", "Östra Nylands välfärdsområde", "ita-uusimaa"),
    ("KU", "Keski-Uudenmaan hyvinvointialue", "Mellersta Nylands välfärdsområde", "keski-uusimaa"),
    ("LU", "Länsi-Uudenmaan hyvinvointialue", "Västra Nylands välfärdsområde", "lansi-uusimaa"),
    ("VK", "Vantaan ja Keravan hyvinvointialue", "Vanda och Kervo välfärdsområde", "vantaa-kerava"),
    ("HE", "Helsingin kaupunki", "Helsingfors stad", "helsinki"),
    ("VS", "Varsinais-Suomen hyvinvointialue", "Egentliga Finlands välfärdsområde", "varsinais-suomi"),
    ("SA", "Satakunnan hyvinvointialue", "Satakunta välfärdsområde", "satakunta"),
    ("KH", "Kanta-Hämeen hyvinvointialue", "Egentliga Tavastlands välfärdsområde", "kanta-hame"),
    ("PI", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "pirkanmaa"),
    ("PH", "Päijät-Hämeen hyvinvointialue", "Päijänne-Tavastlands välfärdsområde", "paijat-hame"),
    ("KY", "Kymenlaakson hyvinvointialue", "Kymmenedalens välfärdsområde", "kymenlaakso"),
    ("EK", "Etelä-Karjalan hyvinvointialue", "Södra Karelens välfärdsområde", "etela-karjala"),
    ("ES", "Etelä-Savon hyvinvointialue", "Södra Savolax välfärdsområde", "etela-savo"),
    ("PS", "Pohjois-Savon hyvinvointialue", "Norra Savolax välfärdsområde", "pohjois-savo"),
    ("PK", "Pohjois-Karjalan hyvinvointialue", "Norra Karelens välfärdsområde", "pohjois-karjala"),
    ("KS", "Keski-Suomen hyvinvointialue", "Mellersta Finlands välfärdsområde", "keski-suomi"),
    ("EP", "Etelä-Pohjanmaan hyvinvointialue", "Södra Österbottens välfärdsområde", "etela-pohjanmaa"),
    ("PO", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "pohjanmaa"),
    ("KP", "Keski-Pohjanmaan hyvinvointialue", "Mellersta Österbottens välfärdsområde", "keski-pohjanmaa"),
    ("PP", "Pohjois-Pohjanmaan hyvinvointialue", "Norra Österbottens välfärdsområde", "pohjois-pohjanmaa"),
    ("KA", "Kainuun hyvinvointialue", "Kajanalands välfärdsområde", "kainuu"),
    ("LA", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "lappi"),
]


def add_counties(apps, schema_editor):
    County = apps.get_model("haastavat_erot", "County")
    for code, name_fi, name_sv, slug in COUNTIES:
        County.objects.update_or_create(code=code, defaults={"name_fi": name_fi, "name_sv": name_sv, "slug": slug})


def remove_counties(apps, schema_editor):
    apps.get_model("haastavat_erot", "County").objects.filter(code__in=[c[0] for c in COUNTIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("haastavat_erot", "0001_initial")]

    operations = [
        migrations.RunPython(add_counties, remove_counties),
        migrations.RunSQL(
            "ALTER TABLE haastavat_erot_case ADD CONSTRAINT case_session_same_group "
            "FOREIGN KEY (session_id, group_id) REFERENCES haastavat_erot_session (id, group_id)",
            "ALTER TABLE haastavat_erot_case DROP FOREIGN KEY case_session_same_group",
        ),
    ]
