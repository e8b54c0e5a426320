"""A deterministic demo catalogue: the same products, prices, stock and images on every run.

Everything comes from ``random.Random(42)`` drawn in a fixed order per product,
so ``--products 500`` gives the first 500 products of ``--products 100000``.
Writes only create what is missing, keyed on natural keys (SKU, slug, code):
running it twice changes nothing and duplicates nothing. A product that is
already there keeps its names, visibility, prices, stock, tags and images as
staff left them, so demo orders keep their allocations and back-office edits
survive a second ``make run``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from comptoir.catalog.imports import refresh_statistics
from comptoir.catalog.models import Brand, Category, Product, ProductImage, Season, Tag
from comptoir.companies.models import Company
from comptoir.core.memo import reference_changed
from comptoir.core.money import round_money
from comptoir.inventory.models import StockLevel, StockLocation
from comptoir.pricing.models import Price, PriceLevel

SEED = 42
SKU_PREFIX = "DEMO-"
IMAGE_DIR = "products/demo"
IMAGE_COUNT = 200
CHUNK = 5000
# From this many new products on, PostgreSQL's trigram search indexes are rebuilt once at the end
# instead of being updated row by row (a bulk build is several times faster).
REBUILD_INDEXES_FROM = 10_000

# slug, (en, fr, nl, sv) names; children as slug, "plural/singular" in en, fr, nl, sv
CATEGORIES: list[tuple[str, tuple[str, str, str, str], list[tuple[str, str, str, str, str]]]] = [
    (
        "tools",
        ("Tools", "Outillage", "Gereedschap", "Verktyg"),
        [
            ("hammers", "Hammers/Hammer", "Marteaux/Marteau", "Hamers/Hamer", "Hammare/Hammare"),
            (
                "screwdrivers",
                "Screwdrivers/Screwdriver",
                "Tournevis/Tournevis",
                "Schroevendraaiers/Schroevendraaier",
                "Skruvmejslar/Skruvmejsel",
            ),
            ("saws", "Saws/Saw", "Scies/Scie", "Zagen/Zaag", "Sågar/Såg"),
            ("pliers", "Pliers/Pliers", "Pinces/Pince", "Tangen/Tang", "Tänger/Tång"),
            ("wrenches", "Wrenches/Wrench", "Clés/Clé", "Sleutels/Sleutel", "Nycklar/Nyckel"),
            ("drills", "Drills/Drill", "Perceuses/Perceuse", "Boormachines/Boormachine", "Borrmaskiner/Borrmaskin"),
        ],
    ),
    (
        "garden",
        ("Garden", "Jardin", "Tuin", "Trädgård"),
        [
            ("spades", "Spades/Spade", "Bêches/Bêche", "Spades/Spade", "Spadar/Spade"),
            ("rakes", "Rakes/Rake", "Râteaux/Râteau", "Harken/Hark", "Krattor/Kratta"),
            ("hoses", "Hoses/Hose", "Tuyaux/Tuyau", "Tuinslangen/Tuinslang", "Slangar/Slang"),
            ("shears", "Shears/Shears", "Cisailles/Cisaille", "Scharen/Schaar", "Saxar/Sax"),
            ("planters", "Planters/Planter", "Jardinières/Jardinière", "Plantenbakken/Plantenbak", "Krukor/Kruka"),
            (
                "watering-cans",
                "Watering cans/Watering can",
                "Arrosoirs/Arrosoir",
                "Gieters/Gieter",
                "Vattenkannor/Vattenkanna",
            ),
        ],
    ),
    (
        "kitchen",
        ("Kitchen", "Cuisine", "Keuken", "Kök"),
        [
            ("pans", "Pans/Pan", "Poêles/Poêle", "Pannen/Pan", "Stekpannor/Stekpanna"),
            ("pots", "Pots/Pot", "Casseroles/Casserole", "Kookpotten/Kookpot", "Kastruller/Kastrull"),
            ("knives", "Knives/Knife", "Couteaux/Couteau", "Messen/Mes", "Knivar/Kniv"),
            (
                "cutting-boards",
                "Cutting boards/Cutting board",
                "Planches à découper/Planche à découper",
                "Snijplanken/Snijplank",
                "Skärbrädor/Skärbräda",
            ),
            ("bowls", "Bowls/Bowl", "Bols/Bol", "Kommen/Kom", "Skålar/Skål"),
            (
                "kettles",
                "Kettles/Kettle",
                "Bouilloires/Bouilloire",
                "Waterkokers/Waterkoker",
                "Vattenkokare/Vattenkokare",
            ),
        ],
    ),
    (
        "office",
        ("Office", "Bureau", "Kantoor", "Kontor"),
        [
            ("pens", "Pens/Pen", "Stylos/Stylo", "Pennen/Pen", "Pennor/Penna"),
            (
                "notebooks",
                "Notebooks/Notebook",
                "Cahiers/Cahier",
                "Notitieboeken/Notitieboek",
                "Anteckningsböcker/Anteckningsbok",
            ),
            ("folders", "Folders/Folder", "Classeurs/Classeur", "Ordners/Ordner", "Pärmar/Pärm"),
            (
                "staplers",
                "Staplers/Stapler",
                "Agrafeuses/Agrafeuse",
                "Nietmachines/Nietmachine",
                "Häftapparater/Häftapparat",
            ),
            ("paper", "Paper/Paper", "Papier/Papier", "Papier/Papier", "Papper/Papper"),
            (
                "desk-lamps",
                "Desk lamps/Desk lamp",
                "Lampes de bureau/Lampe de bureau",
                "Bureaulampen/Bureaulamp",
                "Skrivbordslampor/Skrivbordslampa",
            ),
        ],
    ),
    (
        "cleaning",
        ("Cleaning", "Nettoyage", "Schoonmaak", "Städning"),
        [
            ("brooms", "Brooms/Broom", "Balais/Balai", "Bezems/Bezem", "Kvastar/Kvast"),
            ("mops", "Mops/Mop", "Serpillières/Serpillière", "Dweilen/Dweil", "Moppar/Mopp"),
            ("buckets", "Buckets/Bucket", "Seaux/Seau", "Emmers/Emmer", "Hinkar/Hink"),
            ("sponges", "Sponges/Sponge", "Éponges/Éponge", "Sponzen/Spons", "Svampar/Svamp"),
            (
                "detergents",
                "Detergents/Detergent",
                "Détergents/Détergent",
                "Reinigingsmiddelen/Reinigingsmiddel",
                "Rengöringsmedel/Rengöringsmedel",
            ),
            ("gloves", "Gloves/Gloves", "Gants/Gants", "Handschoenen/Handschoenen", "Handskar/Handskar"),
        ],
    ),
    (
        "electrical",
        ("Electrical", "Électricité", "Elektriciteit", "El"),
        [
            ("cables", "Cables/Cable", "Câbles/Câble", "Kabels/Kabel", "Kablar/Kabel"),
            ("sockets", "Sockets/Socket", "Prises/Prise", "Stopcontacten/Stopcontact", "Uttag/Uttag"),
            ("switches", "Switches/Switch", "Interrupteurs/Interrupteur", "Schakelaars/Schakelaar", "Brytare/Brytare"),
            (
                "extension-leads",
                "Extension leads/Extension lead",
                "Rallonges/Rallonge",
                "Verlengsnoeren/Verlengsnoer",
                "Förlängningssladdar/Förlängningssladd",
            ),
            ("batteries", "Batteries/Battery", "Piles/Pile", "Batterijen/Batterij", "Batterier/Batteri"),
            ("fuses", "Fuses/Fuse", "Fusibles/Fusible", "Zekeringen/Zekering", "Säkringar/Säkring"),
        ],
    ),
    (
        "plumbing",
        ("Plumbing", "Plomberie", "Sanitair", "VVS"),
        [
            ("taps", "Taps/Tap", "Robinets/Robinet", "Kranen/Kraan", "Kranar/Kran"),
            ("pipes", "Pipes/Pipe", "Tubes/Tube", "Buizen/Buis", "Rör/Rör"),
            ("fittings", "Fittings/Fitting", "Raccords/Raccord", "Fittingen/Fitting", "Kopplingar/Koppling"),
            ("valves", "Valves/Valve", "Vannes/Vanne", "Kleppen/Klep", "Ventiler/Ventil"),
            ("sealants", "Sealants/Sealant", "Mastics/Mastic", "Kitten/Kit", "Fogmassor/Fogmassa"),
            (
                "shower-heads",
                "Shower heads/Shower head",
                "Pommeaux de douche/Pommeau de douche",
                "Douchekoppen/Douchekop",
                "Duschmunstycken/Duschmunstycke",
            ),
        ],
    ),
    (
        "safety",
        ("Safety", "Sécurité", "Veiligheid", "Säkerhet"),
        [
            ("helmets", "Helmets/Helmet", "Casques/Casque", "Helmen/Helm", "Hjälmar/Hjälm"),
            (
                "goggles",
                "Goggles/Goggles",
                "Lunettes de protection/Lunettes de protection",
                "Veiligheidsbrillen/Veiligheidsbril",
                "Skyddsglasögon/Skyddsglasögon",
            ),
            (
                "ear-defenders",
                "Ear defenders/Ear defenders",
                "Casques antibruit/Casque antibruit",
                "Gehoorbeschermers/Gehoorbeschermer",
                "Hörselskydd/Hörselskydd",
            ),
            (
                "safety-shoes",
                "Safety shoes/Safety shoes",
                "Chaussures de sécurité/Chaussures de sécurité",
                "Veiligheidsschoenen/Veiligheidsschoenen",
                "Skyddsskor/Skyddsskor",
            ),
            (
                "hi-vis-vests",
                "Hi-vis vests/Hi-vis vest",
                "Gilets haute visibilité/Gilet haute visibilité",
                "Veiligheidshesjes/Veiligheidshesje",
                "Varselvästar/Varselväst",
            ),
            (
                "first-aid",
                "First aid kits/First aid kit",
                "Trousses de secours/Trousse de secours",
                "EHBO-koffers/EHBO-koffer",
                "Förbandslådor/Förbandslåda",
            ),
        ],
    ),
    (
        "packaging",
        ("Packaging", "Emballage", "Verpakking", "Förpackning"),
        [
            ("boxes", "Boxes/Box", "Cartons/Carton", "Dozen/Doos", "Kartonger/Kartong"),
            ("tape", "Tape/Tape", "Rubans adhésifs/Ruban adhésif", "Tape/Tape", "Tejp/Tejp"),
            (
                "bubble-wrap",
                "Bubble wrap/Bubble wrap",
                "Papier bulle/Papier bulle",
                "Noppenfolie/Noppenfolie",
                "Bubbelplast/Bubbelplast",
            ),
            ("labels", "Labels/Label", "Étiquettes/Étiquette", "Etiketten/Etiket", "Etiketter/Etikett"),
            ("pallets", "Pallets/Pallet", "Palettes/Palette", "Pallets/Pallet", "Pallar/Pall"),
            (
                "stretch-film",
                "Stretch film/Stretch film",
                "Film étirable/Film étirable",
                "Rekfolie/Rekfolie",
                "Sträckfilm/Sträckfilm",
            ),
        ],
    ),
    (
        "lighting",
        ("Lighting", "Éclairage", "Verlichting", "Belysning"),
        [
            (
                "led-bulbs",
                "LED bulbs/LED bulb",
                "Ampoules LED/Ampoule LED",
                "Ledlampen/Ledlamp",
                "LED-lampor/LED-lampa",
            ),
            ("spotlights", "Spotlights/Spotlight", "Spots/Spot", "Spots/Spot", "Spotlights/Spotlight"),
            (
                "floodlights",
                "Floodlights/Floodlight",
                "Projecteurs/Projecteur",
                "Bouwlampen/Bouwlamp",
                "Strålkastare/Strålkastare",
            ),
            ("torches", "Torches/Torch", "Lampes torches/Lampe torche", "Zaklampen/Zaklamp", "Ficklampor/Ficklampa"),
            (
                "ceiling-lights",
                "Ceiling lights/Ceiling light",
                "Plafonniers/Plafonnier",
                "Plafondlampen/Plafondlamp",
                "Taklampor/Taklampa",
            ),
            (
                "led-strips",
                "LED strips/LED strip",
                "Rubans LED/Ruban LED",
                "Ledstrips/Ledstrip",
                "LED-slingor/LED-slinga",
            ),
        ],
    ),
]

BRANDS = [
    "Acier", "Alba", "Boreal", "Brixo", "Cobalt", "Corvo", "Delta Pro", "Dunmore", "Elkor", "Estrel",
    "Falco", "Fjord", "Gavia", "Granit", "Helvar", "Hestia", "Ironbark", "Isola", "Jalo", "Juno",
    "Kestrel", "Kobalt", "Linea", "Lumo", "Merak", "Mistral", "Nordvik", "Nova", "Oakline", "Pavo",
    "Quarto", "Rivet", "Solano", "Tundra", "Ultrex", "Valtor", "Wexford", "Xylo", "Yarrow", "Zenith",
]  # fmt: skip

BRAND_SLUGS = [name.lower().replace(" ", "-") for name in BRANDS]

SEASONS = [
    ("ss25", ("Spring-summer 2025", "Printemps-été 2025", "Lente-zomer 2025", "Vår-sommar 2025")),
    ("aw25", ("Autumn-winter 2025", "Automne-hiver 2025", "Herfst-winter 2025", "Höst-vinter 2025")),
    ("ss26", ("Spring-summer 2026", "Printemps-été 2026", "Lente-zomer 2026", "Vår-sommar 2026")),
    ("permanent", ("All year", "Permanent", "Vast assortiment", "Året runt")),
]

TAGS = [
    ("new", ("New", "Nouveau", "Nieuw", "Nyhet")),
    ("sale", ("Sale", "Promotion", "Actie", "Rea")),
    ("bestseller", ("Best seller", "Meilleure vente", "Bestseller", "Bästsäljare")),
    ("eco", ("Eco", "Écologique", "Ecologisch", "Miljövänlig")),
    ("trade-selection", ("Trade selection", "Sélection pro", "Vakselectie", "Proffsurval")),
    ("made-in-europe", ("Made in Europe", "Fabriqué en Europe", "Gemaakt in Europa", "Tillverkad i Europa")),
    ("bulk", ("Bulk", "Vrac", "Bulk", "Storpack")),
    ("professional", ("Professional", "Professionnel", "Professioneel", "Professionell")),
    ("diy", ("DIY", "Bricolage", "Doe-het-zelf", "Gör det själv")),
    ("limited", ("Limited edition", "Édition limitée", "Beperkte oplage", "Begränsad upplaga")),
    ("clearance", ("Clearance", "Déstockage", "Uitverkoop", "Utförsäljning")),
    ("premium", ("Premium", "Premium", "Premium", "Premium")),
    ("budget", ("Budget", "Petit prix", "Voordelig", "Budget")),
    ("recycled", ("Recycled", "Recyclé", "Gerecycled", "Återvunnen")),
    ("fsc", ("FSC", "FSC", "FSC", "FSC")),
    ("ce-marked", ("CE marked", "Marquage CE", "CE-markering", "CE-märkt")),
    ("rechargeable", ("Rechargeable", "Rechargeable", "Oplaadbaar", "Laddningsbar")),
    ("wireless", ("Wireless", "Sans fil", "Draadloos", "Trådlös")),
    ("waterproof", ("Waterproof", "Étanche", "Waterdicht", "Vattentät")),
    ("heavy-duty", ("Heavy duty", "Usage intensif", "Zwaar gebruik", "Kraftig")),
    ("lightweight", ("Lightweight", "Léger", "Licht", "Lätt")),
    ("ergonomic", ("Ergonomic", "Ergonomique", "Ergonomisch", "Ergonomisk")),
    ("stainless", ("Stainless steel", "Inox", "Roestvrij staal", "Rostfritt")),
    ("compact", ("Compact", "Compact", "Compact", "Kompakt")),
    ("outdoor", ("Outdoor", "Extérieur", "Buiten", "Utomhus")),
    ("indoor", ("Indoor", "Intérieur", "Binnen", "Inomhus")),
    ("gift", ("Gift idea", "Idée cadeau", "Cadeau-idee", "Presenttips")),
    ("seasonal", ("Seasonal", "Saisonnier", "Seizoensgebonden", "Säsong")),
    ("spare-part", ("Spare part", "Pièce détachée", "Reserveonderdeel", "Reservdel")),
    ("bundle", ("Bundle", "Lot", "Bundel", "Paket")),
]

COLOURS = [
    ("blue", "bleu", "blauw", "blå"),
    ("red", "rouge", "rood", "röd"),
    ("green", "vert", "groen", "grön"),
    ("black", "noir", "zwart", "svart"),
    ("white", "blanc", "wit", "vit"),
    ("yellow", "jaune", "geel", "gul"),
    ("grey", "gris", "grijs", "grå"),
    ("orange", "orange", "oranje", "orange"),
]
SERIES = ["Pro", "Eco", "Compact", "Max", "Lite", "Plus", "XL", "Classic", "Ultra", "Mini"]
SIZES = ["S", "M", "L", "100", "200", "250", "300", "500", "750", "1000"]
DESCRIPTIONS = {
    "en": "{noun} by {brand}, {series} series, {colour}. Sold per {unit}.",
    "fr": "{noun} {brand}, série {series}, coloris {colour}. Vendu par {unit}.",
    "nl": "{noun} van {brand}, serie {series}, kleur {colour}. Verkocht per {unit}.",
    "sv": "{noun} från {brand}, serie {series}, färg {colour}. Säljs per {unit}.",
}
LANGUAGES = ("en", "fr", "nl", "sv")
ACME_BRANDS = 12  # Acme Trading sees the first dozen brands and the trade selection (B1)

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class CatalogueResult:
    """``products`` asked for; the rest counts what this run created."""

    products: int
    new_products: int
    prices: int
    stock_levels: int
    images: int


def ean13(number: int) -> str:
    """An EAN-13 in the 200-299 in-store range (never a real product's code), with its check digit."""
    body = f"200{number:09d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def seed_reference() -> tuple[list[Category], list[Brand], list[Season], list[Tag]]:
    """Categories (10 top, 60 children), 40 brands, 4 seasons, 30 tags; the missing ones created, none changed."""
    tops = [
        Category(slug=slug, position=n, **dict(zip([f"name_{c}" for c in LANGUAGES], names, strict=True)))
        for n, (slug, names, _children) in enumerate(CATEGORIES)
    ]
    Category.objects.bulk_create(tops, ignore_conflicts=True)
    top_ids = dict(Category.objects.filter(slug__in=[t.slug for t in tops]).values_list("slug", "pk"))
    children = []
    for slug, _names, kids in CATEGORIES:
        for n, (child, *words) in enumerate(kids):
            names = {f"name_{code}": word.split("/")[0] for code, word in zip(LANGUAGES, words, strict=True)}
            children.append(Category(slug=child, parent_id=top_ids[slug], position=n, **names))
    Category.objects.bulk_create(children, ignore_conflicts=True)
    Brand.objects.bulk_create(
        [Brand(name=name, slug=name.lower().replace(" ", "-")) for name in BRANDS], ignore_conflicts=True
    )
    Season.objects.bulk_create(
        [
            Season(code=code, **dict(zip([f"name_{c}" for c in LANGUAGES], names, strict=True)))
            for code, names in SEASONS
        ],
        ignore_conflicts=True,
    )
    Tag.objects.bulk_create(
        [Tag(slug=slug, **dict(zip([f"name_{c}" for c in LANGUAGES], names, strict=True))) for slug, names in TAGS],
        ignore_conflicts=True,
    )
    by_slug = {c.slug: c for c in Category.objects.filter(slug__in=[c.slug for c in children])}
    return (
        [by_slug[c.slug] for c in children],
        sorted(Brand.objects.filter(slug__in=BRAND_SLUGS), key=lambda b: BRAND_SLUGS.index(b.slug)),
        sorted(Season.objects.filter(code__in=[s for s, _n in SEASONS]), key=lambda s: s.code),
        sorted(Tag.objects.filter(slug__in=[t for t, _n in TAGS]), key=lambda t: t.slug),
    )


def seed_images(count: int = IMAGE_COUNT) -> list[str]:
    """``count`` shared JPEG tiles (a colour and a number) in the default storage, written once."""
    from PIL import Image, ImageDraw, ImageFont

    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, nothing secret
    names = []
    font = None
    for n in range(1, count + 1):
        name = f"{IMAGE_DIR}/tile-{n:03d}.jpg"
        colour = (rng.randrange(40, 220), rng.randrange(40, 220), rng.randrange(40, 220))
        names.append(name)
        if default_storage.exists(name):
            continue
        if font is None:
            try:
                font = ImageFont.load_default(size=72)
            except (TypeError, OSError):  # Pillow without FreeType
                font = ImageFont.load_default()
        image = Image.new("RGB", (400, 400), colour)
        draw = ImageDraw.Draw(image)
        draw.rectangle((24, 24, 375, 375), outline=(255, 255, 255), width=6)
        draw.text((200, 170), f"{n:03d}", fill=(255, 255, 255), font=font, anchor="mm")
        draw.text((200, 260), "Comptoir", fill=(255, 255, 255), anchor="mm")
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=80)
        default_storage.save(name, ContentFile(buffer.getvalue()))
    return names


@dataclass
class _Spec:
    sku: str
    product: Product
    tags: list[int]
    images: list[str]
    retail: Decimal
    tiered: bool
    stock: tuple[int, int]


def _money(value: float | Decimal) -> Decimal:
    return round_money(Decimal(str(value)), "EUR")


def _specs(count: int, categories, brands, seasons, tags, images) -> Iterator[_Spec]:
    """Product ``i`` always gets the same draws, whatever ``count`` is."""
    rng = random.Random(SEED)  # noqa: S311 - repeatable demo data, nothing secret
    nouns = {}
    for _slug, _names, kids in CATEGORIES:
        for child, *words in kids:
            nouns[child] = [word.split("/")[1] for word in words]
    unit_words = {
        "pc": ("piece", "pièce", "stuk", "styck"),
        "box": ("box", "boîte", "doos", "kartong"),
        "pack": ("pack", "paquet", "pak", "paket"),
    }
    for i in range(count):
        category = categories[rng.randrange(len(categories))]
        brand = brands[rng.randrange(len(brands))]
        season = seasons[rng.randrange(len(seasons))] if rng.random() < 0.8 else None
        chosen_tags = sorted(rng.sample(range(len(tags)), k=rng.choice((0, 1, 1, 2, 2, 3))))
        colour = COLOURS[rng.randrange(len(COLOURS))]
        series = rng.choice(SERIES)
        size = rng.choice(SIZES)
        unit = rng.choices(["pc", "box", "pack"], weights=[80, 12, 8])[0]
        min_order_quantity = rng.choices([1, 5, 10], weights=[85, 10, 5])[0]
        order_multiple = rng.choices([1, 6, 12], weights=[85, 10, 5])[0]
        active = rng.random() < 0.98
        retail = _money(rng.uniform(1, 400))
        tiered = rng.random() < 0.3
        brussels = 0 if rng.random() < 0.15 else rng.randint(1, 500)
        lyon = 0 if rng.random() < 0.25 else rng.randint(1, 500)
        first_image = rng.randrange(len(images))
        image_list = [images[first_image]]
        if rng.random() < 0.4:
            image_list.append(images[(first_image + 1 + rng.randrange(len(images) - 1)) % len(images)])
        words = nouns[category.slug]
        values = {}
        for n, code in enumerate(LANGUAGES):
            values[f"name_{code}"] = f"{words[n]} {series} {size}, {colour[n]}"
            values[f"description_{code}"] = DESCRIPTIONS[code].format(
                noun=words[n], brand=brand.name, series=series, colour=colour[n], unit=unit_words[unit][n]
            )
        sku = f"{SKU_PREFIX}{i + 1:06d}"
        product = Product(
            sku=sku,
            ean=ean13(i + 1),
            category_id=category.pk,
            brand_id=brand.pk,
            season_id=season.pk if season else None,
            unit=unit,
            min_order_quantity=min_order_quantity,
            order_multiple=order_multiple,
            is_active=active,
            **values,
        )
        yield _Spec(sku, product, [tags[t].pk for t in chosen_tags], image_list, retail, tiered, (brussels, lyon))


def seed_catalogue(
    *,
    products: int,
    progress: Progress | None = None,
    rebuild_indexes_from: int = REBUILD_INDEXES_FROM,
    new_companies: Collection[str] = (),
) -> CatalogueResult:
    """The demo catalogue with ``products`` products (see the module docstring).

    The demo customers' selections (Acme sees a dozen brands) are set for a customer in
    ``new_companies`` (created by this run) or when this run creates the demo brands; otherwise
    a selection staff changed is left alone.
    """
    progress = progress or (lambda stage, done, total: None)
    images = seed_images()
    existing = Product.objects.filter(sku__startswith=SKU_PREFIX).count()
    brands_were_there = Brand.objects.filter(slug__in=BRAND_SLUGS).exists()
    with transaction.atomic(), _search_indexes_rebuilt(products - existing >= rebuild_indexes_from):
        categories, brands, seasons, tags = seed_reference()
        levels = {level.code: level for level in PriceLevel.objects.filter(code__in=["retail", "trade", "wholesale"])}
        locations = [StockLocation.objects.get(code="brussels"), StockLocation.objects.get(code="lyon")]
        counts = {"products": 0, "prices": 0, "stock": 0, "images": 0}
        batch: list[_Spec] = []
        done = 0
        for spec in _specs(products, categories, brands, seasons, tags, images):
            batch.append(spec)
            if len(batch) == CHUNK:
                _write(batch, levels, locations, counts)
                done += len(batch)
                progress("products", done, products)
                batch = []
        if batch:
            _write(batch, levels, locations, counts)
            progress("products", done + len(batch), products)
        _open_to_customers(brands, tags, None if not brands_were_there else set(new_companies))
    if products >= rebuild_indexes_from:
        refresh_statistics(ANALYZED_TABLES)
    reference_changed()
    return CatalogueResult(
        products=products,
        new_products=counts["products"],
        prices=counts["prices"],
        stock_levels=counts["stock"],
        images=counts["images"],
    )


ANALYZED_TABLES = [
    "catalog_product",
    "catalog_product_tags",
    "catalog_productimage",
    "pricing_price",
    "inventory_stocklevel",
]


@contextmanager
def _search_indexes_rebuilt(enabled: bool) -> Iterator[None]:
    """Drop the catalogue's trigram indexes (migration 0002) and build them again on the way out.

    Inside the seeding transaction: other sessions wait for the table meanwhile, which a
    demo or benchmark database can afford.
    """
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    from importlib import import_module

    indexes = import_module("comptoir.catalog.migrations.0003_search_indexes")
    with connection.schema_editor(atomic=False) as editor:
        indexes.drop(None, editor)
    yield
    with connection.cursor() as cursor:  # PostgreSQL builds no index while foreign-key checks are pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with connection.schema_editor(atomic=False) as editor:
        indexes.create(None, editor)


def _write(batch: list[_Spec], levels, locations, counts) -> None:
    """Create the batch's missing products with their tags, prices, stock and images; leave the others alone."""
    there = set(Product.objects.filter(sku__in=[spec.sku for spec in batch]).values_list("sku", flat=True))
    batch = [spec for spec in batch if spec.sku not in there]
    if not batch:
        return
    Product.objects.bulk_create([spec.product for spec in batch], ignore_conflicts=True, batch_size=1000)
    counts["products"] += len(batch)
    ids = dict(Product.objects.filter(sku__in=[spec.sku for spec in batch]).values_list("sku", "pk"))
    through = Product.tags.through
    through.objects.bulk_create(
        [through(product_id=ids[spec.sku], tag_id=tag_id) for spec in batch for tag_id in spec.tags],
        ignore_conflicts=True,
        batch_size=2000,
    )
    prices = []
    ratios = {"retail": Decimal("1"), "trade": Decimal("0.80"), "wholesale": Decimal("0.65")}
    for spec in batch:
        for code, level in levels.items():
            base = _money(spec.retail * ratios.get(code, Decimal("1")))
            prices.append(Price(price_level=level, product_id=ids[spec.sku], min_quantity=1, amount=base))
            if spec.tiered and code != "retail":
                prices.append(
                    Price(
                        price_level=level,
                        product_id=ids[spec.sku],
                        min_quantity=10,
                        amount=_money(base * Decimal("0.95")),
                    )
                )
                prices.append(
                    Price(
                        price_level=level,
                        product_id=ids[spec.sku],
                        min_quantity=50,
                        amount=_money(base * Decimal("0.90")),
                    )
                )
    Price.objects.bulk_create(prices, ignore_conflicts=True, batch_size=2000)
    counts["prices"] += len(prices)
    stock = [
        StockLevel(product_id=ids[spec.sku], location=location, quantity=quantity)
        for spec in batch
        for location, quantity in zip(locations, spec.stock, strict=True)
    ]
    StockLevel.objects.bulk_create(stock, ignore_conflicts=True, batch_size=2000)
    counts["stock"] += len(stock)
    with_images = set(
        ProductImage.objects.filter(product_id__in=list(ids.values()), image__startswith=f"{IMAGE_DIR}/").values_list(
            "product_id", flat=True
        )
    )
    new_images = [
        ProductImage(product_id=ids[spec.sku], image=name, position=n)
        for spec in batch
        if ids[spec.sku] not in with_images
        for n, name in enumerate(spec.images)
    ]
    ProductImage.objects.bulk_create(new_images, batch_size=2000)
    counts["images"] += len(new_images)


def _open_to_customers(brands: list[Brand], tags: list[Tag], companies: set[str] | None) -> None:
    """Acme Trading sees a dozen brands and the trade selection; Globex, with no selection, sees everything.

    Only for the customers in ``companies`` (all of them when ``None``): a selection set on an
    earlier run, and perhaps changed by staff since, stays as it is.
    """
    acme = Company.objects.filter(name="Acme Trading").first()
    if acme is not None and (companies is None or acme.name in companies):
        acme.visible_brands.set(brands[:ACME_BRANDS])
        acme.visible_tags.set([tag for tag in tags if tag.slug == "trade-selection"])
