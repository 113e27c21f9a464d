#!/usr/bin/env python3
"""Writes examples/: a small region of four förbund, one SIE 4E file each for 2025 and a
participant CSV per month. Run from the repository root; the output is committed so the demo
needs no Python. Two förbund carry the figures of the annual reports in ../shared/seeds/
(Vänersborg/Mellerud 2017 and Väst 2023, moved to 2025): their December totals equal the
reports' income statements and balance sheets to the krona. The other two are invented.

Money is integer öre throughout; month m gets floor(total*m/12) - floor(total*(m-1)/12), so
twelve months add up to the year exactly."""
import os

YEAR = 2025


def kr(x):
    """kronor (int or 'NNN.NN' string) -> öre"""
    if isinstance(x, str):
        whole, _, frac = x.partition(".")
        sign = -1 if whole.startswith("-") else 1
        return sign * (abs(int(whole)) * 100 + int((frac + "00")[:2]))
    return x * 100


def month_part(total, m):
    q = lambda k: (total * k) // 12 if total >= 0 else -((-total * k) // 12)
    return q(m) - q(m - 1)


def fmt(ore):
    s = "-" if ore < 0 else ""
    return "%s%d.%02d" % (s, abs(ore) // 100, abs(ore) % 100)


def allocate(accounts, areas):
    """North-west corner: a cost per (account, area) such that every account's and every
    area's total is met exactly. Both lists are [(key, öre)] with equal sums."""
    assert sum(a for _, a in accounts) == sum(a for _, a in areas), (accounts, areas)
    out, i, j = [], 0, 0
    acc = [list(x) for x in accounts]
    ar = [list(x) for x in areas]
    while i < len(acc) and j < len(ar):
        take = min(acc[i][1], ar[j][1])
        if take:
            out.append((acc[i][0], ar[j][0], take))
        acc[i][1] -= take
        ar[j][1] -= take
        if acc[i][1] == 0:
            i += 1
        if j < len(ar) and ar[j][1] == 0:
            j += 1
    return out


FORBUND = [
    {
        "slug": "vanersborg-mellerud",
        "orgnr": "222000-2048",
        "name": "Samordningsförbundet Vänersborg/Mellerud",
        "population": 29000,
        "source": "seed 001, annual report 2017",
        "accounts": {
            "1511": "Kundfordringar", "1920": "Plusgiro", "2010": "Eget kapital",
            "2411": "Leverantörsskulder", "3010": "Medlemsbidrag staten",
            "3020": "Medlemsbidrag Västra Götalandsregionen",
            "3031": "Medlemsbidrag Vänersborgs kommun", "3032": "Medlemsbidrag Melleruds kommun",
            "4541": "Verksamhetsanknutna personalkostnader", "5310": "Arvoden",
            "5611": "Sociala avgifter", "5800": "Reseersättning",
            "5490": "Övriga personalkostnader", "6010": "Lokalkostnader",
            "7599": "Övriga kostnader", "8510": "Övriga finansiella kostnader",
        },
        # seed 001 §1.2.5: Vänersborg 1 134 442, Mellerud 262 654 of the 5 588 384
        # allotted; the 5 kr more the income statement books spread over the members
        "income": [("3010", kr("2794194.50")), ("3020", kr("1397097.25")),
                   ("3031", kr("1134442.75")), ("3032", kr("262654.50"))],
        # accounts in the order the admin areas should absorb them (see allocate)
        "costs": [("5310", kr(105827)), ("5800", kr(5129)), ("5611", kr(32638)),
                  ("5490", kr(845645)), ("6010", kr(295932)), ("7599", kr(276497)),
                  ("4541", kr(4962185))],
        # seed 001's budget per income-statement line (§2), spread over the areas' budgets
        "cost_budget": [("5310", kr(180000)), ("5800", kr(10000)), ("5611", kr(55000)),
                        ("5490", kr(910000)), ("6010", kr(222000)), ("7599", kr(158000)),
                        ("4541", kr(5855000))],
        "fin_income": [],
        "fin_costs": [("8510", "1010", kr(1530))],
        "areas": [("1001", "Politisk organisation", 154516, 210000),
                  ("1002", "Revision", 41492, 55000),
                  ("1010", "Administration/kansli", 943411, 910000),
                  ("1011", "Gemensamt", 423779, 360000),
                  ("2000", "Information/kompetensutveckling", 45849, 100000),
                  ("2001", "Uppföljning/utvärdering", 77025, 90000),
                  ("3001", "Arbetsintegrerande sociala företag", 997007, 1045000),
                  ("3002", "Hälsoskolan", 50969, 450000),
                  ("3003", "Arbetsträningsplatsprojekt", 131999, 180000),
                  ("3004", "Hälsoflödet", 19612, 200000),
                  ("3005", "Ungdomstorg Fördjupat stöd", 1238880, 1230000),
                  ("3006", "Arbetsrehabteamet", 2082809, 2180000),
                  ("3009", "Hikikomori", 318035, 340000),
                  ("3010", "Nystart", 0, 40000)],
        "income_budget": kr(5588384),
        "ib": [("1511", kr(626959)), ("1920", kr(2733019)), ("2010", -kr(2118552)),
               ("2411", -kr(1241426))],
        "ub_change": [("1511", -kr(55886)), ("2411", kr(55289))],
        "cash": "1920",
        # insats, typ, start (k, m), new (k, m), exits {category: (k, m)}
        "participants": [
            # seed 001 gives ages of the ended (6 of 17 aged 15-29, 5 30-44, 6 45-64): the
            # new are banded alike
            ("Arbetsintegrerande sociala företag", "individ", (7, 2), (9, 4),
             {"arbete": (5, 2), "studier": (5, 1), "fortsatt_rehab": (4, 0)}, 0,
             {"alder": {"16-29": (3, 2), "30-44": (3, 1), "45-64": (3, 1)}}),
            # seed 001: 32 in the year, 10 new, all ended (11 women, 21 men), all 18-29
            ("Ungdomstorg Fördjupat stöd", "individ", (8, 14), (3, 7),
             {"arbete": (2, 2), "arbete_subventionerat": (3, 7), "studier": (1, 1),
              "sjukdom": (2, 4), "fortsatt_rehab": (2, 7), "flytt": (1, 0)}, 0,
             {"alder": {"16-29": (3, 7)}}),
            # 44 in the year, 30 new, 20 ended (8 women, 12 men; to work or studies 2 and
            # 4), 24 at the end; 4 of the 20 aged 22-29
            ("Arbetsrehabteamet", "individ", (6, 8), (13, 17),
             {"arbete": (1, 4), "studier": (1, 0), "aktivt_arbetssokande": (0, 1),
              "sjukdom": (1, 0), "fortsatt_rehab": (5, 7)}, 0,
             {"alder": {"16-29": (3, 3), "30-44": (5, 7), "45-64": (5, 7)}}),
            # 46 went through the utredning (29 women, 17 men): 3 to work, 20 to continued
            # rehabilitation, 21 for sickness, 2 not measured; 15 at the start of the year
            # (the förbund's 163 participants, 82 women and 81 men)
            # support before the start, of the 46: försörjningsstöd 28, sjukpenning 7,
            # aktivitetsstöd 6, sjukersättning 2, none 2 (split by gender here)
            ("Arbetsförmågeutredning", "individ", (6, 9), (29, 17),
             {"arbete": (2, 1), "fortsatt_rehab": (12, 8), "sjukdom": (14, 7),
              "annat": (1, 1)}, 0,
             {"forsorjning_start": {"forsorjningsstod": (18, 10), "sjukpenning": (4, 3),
                                    "aktivitetsstod": (4, 2), "sjukersattning": (1, 1),
                                    "ingen": (1, 1)}}),
            ("Hikikomori", "individ", (1, 3), (0, 0), {"fortsatt_rehab": (1, 1)}),
            # seed 001: 68 in volume interventions (Hälsoskolan's 25: 24 women, 1 man; the
            # rest without gender), 175 staff and managers in competence development
            ("Hälsoskolan", "volym", (0, 0), (24, 1), None),
            ("Hälsoflödet", "volym", (0, 0), (0, 0), None, 43),
            ("Kompetensutveckling", "struktur", (0, 0), (0, 0), None, 175),
        ],
    },
    {
        "slug": "vast",
        "orgnr": "222000-2030",
        "name": "Samordningsförbundet Väst",
        "population": 98000,
        "source": "seed 002, annual report 2023",
        "accounts": {
            "1630": "Skattekonto", "1680": "Fordran momsersättning",
            "1790": "Interimsfordringar", "1930": "Bank", "2010": "Eget kapital",
            "2990": "Upplupna kostnader", "3010": "Driftbidrag från staten",
            "3020": "Driftbidrag från VG-region", "3031": "Driftbidrag Uddevalla",
            "3032": "Driftbidrag Orust", "3033": "Driftbidrag Lysekil",
            "3034": "Driftbidrag Strömstad", "3035": "Driftbidrag Tanum",
            "3036": "Driftbidrag Munkedal", "3037": "Driftbidrag Mellerud",
            "3038": "Driftbidrag Sotenäs", "3039": "Driftbidrag Färgelanda",
            "3110": "ESF-bidrag", "3290": "Elstöd", "3990": "Öresavrundning",
            "4510": "Inhyrd personal", "6010": "Lokalkostnader", "7990": "Övrigt",
            "8410": "Ränteintäkter",
        },
        "income": [("3010", kr(5043000)), ("3020", kr(2521500)), ("3031", kr(1015545)),
                   ("3032", kr(248234)), ("3033", kr(226893)), ("3034", kr(232891)),
                   ("3035", kr(211097)), ("3036", kr(180984)), ("3037", kr(152226)),
                   ("3038", kr(143304)), ("3039", kr(110326)), ("3110", kr(3153083)),
                   ("3290", kr(6351)), ("3990", -kr(3))],
        "costs": [("7990", kr(1251916)), ("6010", kr(1016792)), ("4510", kr(10238360))],
        "fin_income": [("8410", "1010", kr(25359))],
        "fin_costs": [],
        # seed 002 §1.5: about 68 % of the costs went to individual interventions, 10 % to
        # structural ones and 22 % to the office and administration (the report gives no
        # cost per area; these make the three shares 68.0, 10.0 and 22.0)
        "areas": [("1001", "Styrelse och revision", 300000, 300000),
                  ("1010", "Kansli", 2451555 - 25359, 2500000),
                  ("2001", "Kompetensutveckling och Arenadag", 1250000, 1300000),
                  ("3001", "Rehabvägledare", 3550361, 3650000),
                  ("3002", "Utredning", 1750000, 1900000),
                  ("3003", "Gränsgångare (ESF)", 3205152, 4452000)],
        "income_budget": kr(13016000),
        "ib": [("1630", kr(2)), ("1680", kr(373201)), ("1790", kr(444608)),
               ("1930", kr(3940024)), ("2010", -kr(3116858)), ("2990", -kr(1640977))],
        "ub_change": [("1630", kr(14705)), ("1680", -kr(151052)), ("1790", kr(1691101)),
                      ("2990", kr(486218))],
        "cash": "1930",
        "participants": [
            # seed 002: 54 of Rehabvägledare's 198 ended to work or studies, 3 of the
            # utredning's, 70 in all with Gränsgångare's 13
            ("Rehabvägledare", "individ", (91, 75), (112, 96),
             {"arbete": (15, 15), "arbete_subventionerat": (6, 6), "studier": (6, 6),
              "aktivt_arbetssokande": (13, 12), "fortsatt_rehab": (42, 39),
              "sjukdom": (13, 12), "flytt": (2, 3), "egen_begaran": (3, 3),
              "annat": (1, 1)}, 0,
             # seed 002: of 198 ended, 32 aged 29 or under (16 %), here among the 208 new
             # as the CSV bands them; 45 of 198 without public support at exit (23 % of
             # women and of men); a person may have several other kinds of support
             {"alder": {"16-29": (18, 16), "30-44": (42, 36), "45-64": (52, 44)},
              "forsorjning_avslut": {"ingen": (23, 22), "forsorjningsstod": (34, 33),
                                     "sjukpenning": (21, 19), "aktivitetsstod": (18, 17),
                                     "a_kassa": (9, 10), "annan": (4, 3)}}),
            ("Utredning", "individ", (0, 0), (91, 90),
             {"arbete": (1, 1), "studier": (1, 0), "aktivt_arbetssokande": (6, 6),
              "fortsatt_rehab": (73, 73), "sjukdom": (8, 7), "annat": (2, 3)}),
            ("Gränsgångare", "individ", (0, 0), (84, 73),
             {"arbete": (3, 5), "arbete_subventionerat": (1, 2), "studier": (1, 1),
              "fortsatt_rehab": (1, 3), "egen_begaran": (1, 1)}),
            ("Arenadag och utbildningar", "struktur", (0, 0), (0, 0), None, 396),
        ],
    },
    {
        "slug": "trollhattan",
        "orgnr": "222000-2055",
        "name": "Samordningsförbundet Trollhättan, Lilla Edet och Grästorp",
        "population": 45500,
        "source": "invented, in the proportions of seed 004",
        "accounts": {
            "1510": "Kundfordringar", "1930": "Bank", "2010": "Eget kapital",
            "2440": "Leverantörsskulder", "3010": "Medlemsbidrag staten",
            "3020": "Medlemsbidrag regionen", "3031": "Medlemsbidrag Trollhättan",
            "3032": "Medlemsbidrag Lilla Edet", "3033": "Medlemsbidrag Grästorp",
            "4510": "Köpta insatser", "5010": "Löner", "5410": "Sociala avgifter",
            "6110": "Lokalhyra", "7690": "Övriga kostnader", "8410": "Ränteintäkter",
        },
        "income": [("3010", kr(3700000)), ("3020", kr(1850000)), ("3031", kr(1402000)),
                   ("3032", kr(268000)), ("3033", kr(180000))],
        "costs": [("5010", kr(690000)), ("5410", kr(216000)), ("6110", kr(198000)),
                  ("7690", kr(164000)), ("4510", kr(6282000))],
        "fin_income": [("8410", "1010", kr(11800))],
        "fin_costs": [],
        "areas": [("1001", "Styrelse", 120000, 140000),
                  ("1010", "Kansli", 1148000 - 11800, 1200000),
                  ("2001", "Strukturinsatser och kompetens", 420000, 500000),
                  ("3001", "Jobbcentrum", 2650000, 2700000),
                  ("3002", "Unga vuxna i arbete", 1820000, 1900000),
                  ("3003", "Hälsofrämjande rehab", 1392000, 1500000)],
        "income_budget": kr(7400000),
        "ib": [("1510", kr(412000)), ("1930", kr(2468000)), ("2010", -kr(1980000)),
               ("2440", -kr(900000))],
        "ub_change": [("1510", kr(38000)), ("2440", kr(62000))],
        "cash": "1930",
        "participants": [
            ("Jobbcentrum", "individ", (38, 30), (44, 39),
             {"arbete": (10, 9), "arbete_subventionerat": (4, 5), "studier": (5, 3),
              "aktivt_arbetssokande": (3, 3), "fortsatt_rehab": (14, 12),
              "sjukdom": (4, 3), "annat": (2, 1)}),
            ("Unga vuxna i arbete", "individ", (22, 26), (30, 33),
             {"arbete": (6, 8), "studier": (8, 6), "fortsatt_rehab": (9, 9),
              "egen_begaran": (2, 3), "flytt": (1, 0)}),
            ("Hälsofrämjande rehab", "individ", (17, 8), (21, 9),
             {"arbete": (2, 1), "fortsatt_rehab": (12, 5), "sjukdom": (4, 2)}),
            ("Kompetensdagar", "struktur", (0, 0), (0, 0), None, 210),
        ],
    },
    {
        "slug": "alvdalen",
        "orgnr": "222000-2097",
        "name": "Samordningsförbundet Älvdalen",
        "population": 17800,
        "source": "invented",
        "accounts": {
            "1510": "Kundfordringar", "1930": "Bank", "2010": "Eget kapital",
            "2440": "Leverantörsskulder", "3010": "Medlemsbidrag staten",
            "3020": "Medlemsbidrag regionen", "3031": "Medlemsbidrag Älvby",
            "3032": "Medlemsbidrag Forsa", "3110": "Projektbidrag",
            "4510": "Köpta insatser", "5010": "Löner", "6110": "Lokalhyra",
            "7690": "Övriga kostnader", "8510": "Räntekostnader",
        },
        "income": [("3010", kr(1700000)), ("3020", kr(850000)), ("3031", kr(560000)),
                   ("3032", kr(290000)), ("3110", kr(240000))],
        "costs": [("5010", kr(560000)), ("6110", kr(96000)), ("7690", kr(118000)),
                  ("4510", kr(2611000))],
        "fin_income": [],
        "fin_costs": [("8510", "1010", kr(1200))],
        "areas": [("1001", "Styrelse", 64000, 70000),
                  ("1010", "Kansli", 711200, 700000),
                  ("2001", "Samverkansutbildning", 180000, 200000),
                  ("3001", "Steget vidare", 1480000, 1550000),
                  ("3002", "Ung kraft", 951000, 1000000)],
        "income_budget": kr(3640000),
        "ib": [("1510", kr(96000)), ("1930", kr(1194000)), ("2010", -kr(930000)),
               ("2440", -kr(360000))],
        "ub_change": [("1510", -kr(12000)), ("2440", -kr(24000))],
        "cash": "1930",
        "participants": [
            ("Steget vidare", "individ", (14, 9), (17, 13),
             {"arbete": (4, 3), "arbete_subventionerat": (2, 2), "studier": (1, 1),
              "fortsatt_rehab": (7, 4), "sjukdom": (2, 1)}),
            ("Ung kraft", "individ", (6, 9), (11, 12),
             {"arbete": (3, 4), "studier": (4, 3), "fortsatt_rehab": (2, 4),
              "egen_begaran": (0, 1)}),
        ],
    },
]


# The year before, for the two real förbund: the reports' previous-year columns (seed 001's
# 2016, seed 002's 2022), moved to 2024, so that every 2025 figure has last year's beside it.
# Balance sheets: the reports give the year-end; opening balances come from the reports'
# cash-flow statements where they print them (Väst) and are invented otherwise (V/M).
PREVIOUS = [
    dict({k: v for k, v in FORBUND[0].items() if k != "cost_budget"}, year=2024,
         source="seed 001, 2016 column",
         accounts=dict(FORBUND[0]["accounts"], **{"3990": "Övriga intäkter"}),
         income=[("3010", kr("3104658.00")), ("3020", kr("1552329.00")),
                 ("3031", kr("1267985.00")), ("3032", kr("284344.00")), ("3990", kr(18))],
         costs=[("5310", kr(165649)), ("5800", kr(7996)), ("5611", kr(51000)),
                ("5490", kr(865413)), ("6010", kr(48911)), ("7599", kr(179801)),
                ("4541", kr(4998987))],  # the report's own rows add up to one krona more
         fin_costs=[("8510", "1010", kr(1380))],
         areas=[("1001", "Politisk organisation", 165000, 210000),
                ("1002", "Revision", 48000, 55000),
                ("1010", "Administration/kansli", 905130, 910000),
                ("1011", "Gemensamt", 202020, 360000),
                ("2000", "Information/kompetensutveckling", 60000, 100000),
                ("2001", "Uppföljning/utvärdering", 70000, 90000),
                ("3001", "Arbetsintegrerande sociala företag", 980000, 1045000),
                ("3002", "Hälsoskolan", 0, 0),
                ("3003", "Arbetsträningsplatsprojekt", 150000, 180000),
                ("3004", "Hälsoflödet", 0, 0),
                ("3005", "Ungdomstorg Fördjupat stöd", 1260000, 1230000),
                ("3006", "Arbetsrehabteamet", 2177997, 2180000),
                ("3009", "Hikikomori", 300990, 340000),
                ("3010", "Nystart", 0, 40000)],
         income_budget=kr(6209316),
         ib=[("1511", kr(600000)), ("1920", kr(2869781)), ("2010", -kr(2228355)),
             ("2411", -kr(1241426))],
         ub_change=[("1511", kr(26959))],
         # seed 001's 2016 figures: 148 in individual interventions, 97 ended (82 from
         # the work-oriented ones, 44 % of them to work or studies, and 15 from the
         # utredning), 56 in volume interventions, 179 staff in competence development
         participants=[
             ("Arbetsintegrerande sociala företag", "individ", (5, 7), (5, 2),
              {"arbete": (3, 1), "studier": (2, 1), "fortsatt_rehab": (3, 2)}),
             ("Ungdomstorg Fördjupat stöd", "individ", (12, 11), (10, 10),
              {"arbete": (2, 2), "arbete_subventionerat": (3, 3), "studier": (2, 1),
               "sjukdom": (3, 4), "fortsatt_rehab": (3, 5), "flytt": (1, 1)}),
             ("Arbetsrehabteamet", "individ", (14, 10), (10, 10),
              {"arbete": (6, 7), "studier": (2, 1), "sjukdom": (4, 4),
               "fortsatt_rehab": (8, 8)}),
             ("Arbetsförmågeutredning", "individ", (2, 1), (20, 15),
              {"arbete": (1, 0), "fortsatt_rehab": (5, 4), "sjukdom": (2, 2),
               "annat": (1, 0)}),
             ("Hikikomori", "individ", (0, 0), (1, 3), {}),
             ("Hälsoskolan", "volym", (0, 0), (20, 1), None),
             ("Hälsoflödet", "volym", (0, 0), (0, 0), None, 35),
             ("Kompetensutveckling", "struktur", (0, 0), (0, 0), None, 179),
         ]),
    dict(FORBUND[1], year=2024, source="seed 002, 2022 column",
         income=[("3010", kr(5055000)), ("3020", kr(2527500)), ("3031", kr(1003122)),
                 ("3032", kr(249080)), ("3033", kr(239978)), ("3034", kr(232846)),
                 ("3035", kr(210943)), ("3036", kr(178119)), ("3037", kr(153888)),
                 ("3038", kr(146816)), ("3039", kr(112708)), ("3290", kr(179778)),
                 ("3990", -kr(1))],
         costs=[("7990", kr(1153914)), ("6010", kr(946288)), ("4510", kr(7056044))],
         # the report's 30 kr financial cost is left out: its rows and its result differ by
         # exactly that, and the result (1 133 531) and equity are what it reports
         fin_income=[], fin_costs=[],
         areas=[("1001", "Styrelse och revision", 170000, 200000),
                ("1010", "Kansli", 983914, 1100000),
                ("2001", "Kompetensutveckling och Arenadag", 300000, 400000),
                ("3001", "Rehabvägledare", 5100000, 5400000),
                ("3002", "Utredning", 2602332, 2700000),
                ("3003", "Gränsgångare (ESF)", 0, 0)],
         income_budget=kr(10110000),
         ib=[("1630", kr(2)), ("1680", kr(300000)), ("1790", kr(395557)),
             ("1930", kr(2108185)), ("2010", -kr(1983327)), ("2990", -kr(820417))],
         ub_change=[("1680", kr(73201)), ("1790", kr(49051)), ("2990", -kr(820560))],
         participants=[
             ("Rehabvägledare", "individ", (80, 70), (104, 92),
              {"arbete": (16, 15), "arbete_subventionerat": (6, 6), "studier": (6, 5),
               "aktivt_arbetssokande": (12, 12), "fortsatt_rehab": (40, 40),
               "sjukdom": (10, 9), "flytt": (2, 2), "egen_begaran": (1, 2), "annat": (0, 1)}),
             ("Utredning", "individ", (0, 0), (88, 80),
              {"arbete": (3, 3), "studier": (2, 2), "aktivt_arbetssokande": (6, 6),
               "fortsatt_rehab": (68, 60), "sjukdom": (7, 6), "annat": (2, 3)}),
         ]),
]

EXITS = ["arbete", "arbete_subventionerat", "studier", "aktivt_arbetssokande",
         "fortsatt_rehab", "sjukdom", "flytt", "egen_begaran", "annat"]


def closing(f):
    """The year's #UB and #RES per account, and its rows (account, area, öre)."""
    ib = dict(f["ib"])
    # area outcome = net cost incl. financial items; strip those to get operating costs
    fin_by_area = {}
    for acc, area, v in f["fin_costs"]:
        fin_by_area[area] = fin_by_area.get(area, 0) + v
    for acc, area, v in f["fin_income"]:
        fin_by_area[area] = fin_by_area.get(area, 0) - v
    area_costs = [(c, kr(out) - fin_by_area.get(c, 0)) for c, _, out, _ in f["areas"]]
    cells = allocate(f["costs"], area_costs)
    rows_year = []  # (account, area or None, öre, SIE sign)
    for acc, v in f["income"]:
        rows_year.append((acc, None, -v))
    for acc, area, v in cells:
        rows_year.append((acc, area, v))
    for acc, area, v in f["fin_income"]:
        rows_year.append((acc, area, -v))
    for acc, area, v in f["fin_costs"]:
        rows_year.append((acc, area, v))
    for acc, v in f["ub_change"]:
        rows_year.append((acc, None, v))
    total = {}
    for acc, _, v in rows_year:
        total[acc] = total.get(acc, 0) + v
    cash_change = -sum(v for _, _, v in rows_year)
    ub = dict(ib)
    for acc, v in total.items():
        if acc < "3000":
            ub[acc] = ub.get(acc, 0) + v
    ub[f["cash"]] = ub.get(f["cash"], 0) + cash_change
    res = {}
    for acc, v in total.items():
        if acc >= "3000":
            res[acc] = v
    return ub, res, rows_year


def sie(f, prev=None):
    year = f.get("year", YEAR)
    lines = ["#FLAGGA 0", '#PROGRAM "Samla examples" 1.0', "#FORMAT PC8",
             "#GEN %d0115" % (year + 1), "#SIETYP 4", "#ORGNR " + f["orgnr"],
             '#FNAMN "%s"' % f["name"], "#RAR 0 %d0101 %d1231" % (year, year),
             "#RAR -1 %d0101 %d1231" % (year - 1, year - 1), '#DIM 1 "Kostnadsområde"']
    for code, name, _, _ in f["areas"]:
        lines.append('#OBJEKT 1 "%s" "%s"' % (code, name))
    accounts = dict(prev["accounts"]) if prev else {}
    accounts.update(f["accounts"])
    for acc in sorted(accounts):
        lines.append('#KONTO %s "%s"' % (acc, accounts[acc]))
    for acc, v in f["ib"]:
        lines.append("#IB 0 %s %s" % (acc, fmt(v)))
    ub, res, rows_year = closing(f)
    for acc in sorted(ub):
        lines.append("#UB 0 %s %s" % (acc, fmt(ub[acc])))
    for acc in sorted(res):
        lines.append("#RES 0 %s %s" % (acc, fmt(res[acc])))
    if prev:
        # last year's closing figures, as accounting programs export them once last year
        # is closed (#UB -1 = #IB 0): the board's "fg. år" column in samla-agent check
        _, pres, _ = closing(prev)
        for acc, v in f["ib"]:
            lines.append("#UB -1 %s %s" % (acc, fmt(v)))
        for acc in sorted(pres):
            lines.append("#RES -1 %s %s" % (acc, fmt(pres[acc])))
    # budget: revenue on the contribution accounts in proportion, costs per area
    inc_total = sum(v for _, v in f["income"] if v > 0)
    for m in range(1, 13):
        left = f["income_budget"]
        for i, (acc, v) in enumerate(x for x in f["income"] if x[1] > 0):
            share = (f["income_budget"] * v) // inc_total
            if i == len([x for x in f["income"] if x[1] > 0]) - 1:
                share = left
            left -= share
            lines.append("#PBUDGET 0 %d%02d %s {} %s" % (year, m, acc,
                                                         fmt(-month_part(share, m))))
    if "cost_budget" in f:  # the budget per line as the report gives it, per area
        cells = allocate(f["cost_budget"], [(code, kr(b)) for code, _, _, b in f["areas"]])
    else:
        cost_acc = [a for a, _ in f["costs"] if a < "4000" or a >= "5000"][0]
        cells = [(cost_acc if code.startswith("1") else "4510" if "4510" in f["accounts"]
                  else "4541", code, kr(budget)) for code, _, _, budget in f["areas"]]
    for acc, code, budget in cells:
        for m in range(1, 13):
            lines.append('#PBUDGET 0 %d%02d %s {"1" "%s"} %s' % (
                year, m, acc, code, fmt(month_part(budget, m))))
    for m in range(1, 13):
        last_day = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        lines.append('#VER "A" %d %d%02d%02d "Månadens bokföring %d-%02d"' % (
            m, year, m, last_day, year, m))
        lines.append("{")
        vsum = 0
        for acc, area, v in rows_year:
            part = month_part(v, m)
            if part == 0:
                continue
            vsum += part
            obj = '{"1" "%s"}' % area if area else "{}"
            lines.append("\t#TRANS %s %s %s" % (acc, obj, fmt(part)))
        lines.append("\t#TRANS %s {} %s" % (f["cash"], fmt(-vsum)))
        lines.append("}")
    return ("\r\n".join(lines) + "\r\n").encode("cp437")


def split(total, weights):
    """Splits an integer total in proportion to weights; the parts add up exactly."""
    s = sum(weights)
    if s == 0:
        return [0] * len(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True):
        if sum(out) == total:
            break
        out[i] += 1
    return out


# Each intervention's cost area (the CSV's optional kostnadsområde): the object of the
# ledger whose name is the intervention's, or the one the reports book it on.
COST_AREA = {
    "Arbetsintegrerande sociala företag": "3001", "Ungdomstorg Fördjupat stöd": "3005",
    "Arbetsrehabteamet": "3006", "Hikikomori": "3009", "Hälsoskolan": "3002",
    "Hälsoflödet": "3004", "Kompetensutveckling": "2000", "Rehabvägledare": "3001",
    "Utredning": "3002", "Gränsgångare": "3003", "Arenadag och utbildningar": "2001",
    "Jobbcentrum": "3001", "Unga vuxna i arbete": "3002", "Hälsofrämjande rehab": "3003",
    "Kompetensdagar": "2001", "Steget vidare": "3001", "Ung kraft": "3002",
}


def csv(f, m):
    codes = {code for code, _, _, _ in f["areas"]}
    out = ["insats;typ;mått;kategori;kvinnor;män;ej_angivet;kostnadsområde"]
    for p in f["participants"]:
        name, typ, start, new, exits = p[:5]
        area = COST_AREA.get(name, "")
        area = area if area in codes else ""
        anonymous = p[5] if len(p) > 5 else 0
        if typ != "individ":
            nk, nm = (new[0] * m) // 12, (new[1] * m) // 12
            na = (anonymous * m) // 12
            out.append("%s;%s;aktuella_start;;0;0;0;%s" % (name, typ, area))
            out.append("%s;%s;nya;;%d;%d;%d;%s" % (name, typ, nk, nm, na, area))
            out.append("%s;%s;avslutade;;%d;%d;%d;%s" % (name, typ, nk, nm, na, area))
            out.append("%s;%s;aktuella_slut;;0;0;0;%s" % (name, typ, area))
            continue
        ended = [sum(v[g] for v in exits.values()) for g in (0, 1)]
        new_m = [(new[g] * m) // 12 for g in (0, 1)]
        ended_m = [(ended[g] * m) // 12 for g in (0, 1)]
        end_m = [start[g] + new_m[g] - ended_m[g] for g in (0, 1)]
        assert min(end_m) >= 0, (name, m)
        out.append("%s;individ;aktuella_start;;%d;%d;0;%s" % (name, start[0], start[1], area))
        out.append("%s;individ;nya;;%d;%d;0;%s" % (name, new_m[0], new_m[1], area))
        out.append("%s;individ;avslutade;;%d;%d;0;%s" % (name, ended_m[0], ended_m[1], area))
        out.append("%s;individ;aktuella_slut;;%d;%d;0;%s" % (name, end_m[0], end_m[1], area))
        cats = [c for c in EXITS if c in exits]
        per = [split(ended_m[g], [exits[c][g] for c in cats]) for g in (0, 1)]
        for i, c in enumerate(cats):
            out.append("%s;individ;avslut;%s;%d;%d;0;%s" % (name, c, per[0][i], per[1][i], area))
        bands = p[6] if len(p) > 6 else {}
        # age bands and support at start of the new participants so far, support at exit
        # of the ended ones: the year's bands scaled to the month's counts (support may
        # count a person twice)
        for measure, base in (("alder", new_m), ("forsorjning_start", new_m),
                              ("forsorjning_avslut", ended_m)):
            year = bands.get(measure)
            if not year:
                continue
            whole = [ended[g] if measure == "forsorjning_avslut" else new[g] for g in (0, 1)]
            for c, wm in year.items():
                part = [wm[g] * base[g] // whole[g] if whole[g] else 0 for g in (0, 1)]
                out.append("%s;individ;%s;%s;%d;%d;0;%s" % (name, measure, c, part[0], part[1], area))
    return ("\n".join(out) + "\n").encode("utf-8")


def main():
    for f in FORBUND + PREVIOUS:
        year = f.get("year", YEAR)
        d = os.path.join("examples", f["slug"])
        os.makedirs(d, exist_ok=True)
        prev = [p for p in PREVIOUS if p["slug"] == f["slug"] and p.get("year") == year - 1]
        with open(os.path.join(d, "%s-%d.se" % (f["slug"], year)), "wb") as fp:
            fp.write(sie(f, prev[0] if prev else None))
        for m in range(1, 13):
            with open(os.path.join(d, "deltagare-%d-%02d.csv" % (year, m)), "wb") as fp:
                fp.write(csv(f, m))


if __name__ == "__main__":
    main()
