"""``price:`` in book.yaml: the list price of each format in each currency.

```yaml
price:
  paperback: {USD: 24.95, GBP: 18.99, EUR: 22.00}
  hardcover: {USD: 45.00}
  epub: {USD: 9.99, GBP: 7.99}
```

Formats are the ISBN formats (``paperback``, ``hardcover``, ``epub``, ``pdf``); currencies
ISO 4217 codes (ONIX code list 96); amounts at least 0 with at most two decimals (written
as YAML numbers or text: ``24.95`` and ``"24.95"`` are the same). ``0`` means free of charge.
Whether a price includes tax follows the market's custom (:data:`TAX_EXCLUSIVE`): list prices
in the US and Canada are quoted before sales tax, elsewhere consumer prices include VAT/GST.

This module must not import :mod:`make_book.config.metadata` (which imports it for the
``price`` field); its errors carry the metadata codes (``M017`` wrong type, ``M020`` bad
value) as pydantic error types, which the loader turns into ``book.yaml:LINE`` diagnostics.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from make_book.config.values import describe, fail

WRONG_TYPE, BAD_VALUE = "M017", "M020"
MAX_AMOUNT = Decimal(1_000_000_000)  # ONIX amounts are prices of books, not of banks

# ONIX code list 96 (ISO 4217), as onixcheck's ONIX 3.0 schema has it (issue 75).
CURRENCIES = frozenset("""
AED AFA AFN ALL AMD ANG AOA ARS ATS AUD AWG AZN BAM BBD BDT BEF BGL BGN BHD BIF BMD BND BOB
BRL BSD BTN BWP BYR BYN BZD CAD CDF CHF CLP CNY COP CRC CSD CUC CUP CVE CYP CZK DEM DJF DKK
DOP DZD EEK EGP ERN ESP ETB EUR FIM FJD FKP FRF GBP GEL GHC GHS GIP GMD GNF GRD GTQ GWP GYD
HKD HNL HRK HTG HUF IDR IEP ILS INR IQD IRR ISK ITL JMD JOD JPY KES KGS KHR KMF KPW KRW KWD
KYD KZT LAK LBP LKR LRD LSL LTL LUF LVL LYD MAD MDL MGA MGF MKD MMK MNT MOP MRO MRU MTL MUR
MVR MWK MXN MYR MZN NAD NGN NIO NLG NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PTE PYG QAR ROL
RON RSD RUB RUR RWF SAR SBD SCR SDD SDG SEK SGD SHP SIT SKK SLE SLL SOS SRD SRG STD STN SVC
SYP SZL THB TJS TMM TMT TND TOP TPE TRL TRY TTD TWD TZS UAH UGX USD UYU UZS VEB VEF VES VND
VUV WST XAF XCD XCG XOF XPF YER YUM ZAR ZMK ZMW ZWD ZWG ZWL""".split())

# Currencies whose list prices are quoted before sales tax (ONIX PriceType 01); every other
# currency's consumer price includes VAT or GST (PriceType 02).
TAX_EXCLUSIVE = frozenset({"USD", "CAD"})


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise fail(WRONG_TYPE, f"should be an amount such as 24.95, not {describe(value)}")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise fail(BAD_VALUE, f"'{value}' is not an amount", hint="e.g. 24.95") from None
    if not amount.is_finite() or amount < 0:
        raise fail(BAD_VALUE, f"{value} is not an amount of 0 or more", hint="e.g. 24.95")
    if amount >= MAX_AMOUNT:  # 1e999999 is a finite Decimal that quantize cannot hold
        raise fail(BAD_VALUE, f"{value} is not a price: the limit is {MAX_AMOUNT:,}",
                   hint="e.g. 24.95")
    if amount != amount.quantize(Decimal("0.01")):
        raise fail(BAD_VALUE, f"{value} has more than two decimals", hint="e.g. 24.95")
    return amount.quantize(Decimal("0.01"))


def _currency_prices(value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise fail(WRONG_TYPE, f"should be a mapping of currencies to amounts such as "
                                f"{{USD: 24.95, GBP: 18.99}}, not {describe(value)}")
    out: dict[str, Decimal] = {}
    problems = []
    for key, amount in value.items():
        code = str(key).strip().upper()
        if code not in CURRENCIES:
            problems.append(f"'{key}' is not an ISO 4217 currency code")
            continue
        try:
            out[code] = parse_amount(amount)
        except PydanticCustomError as exc:
            problems.append(f"{code} {exc.context['message']}")
    if problems:
        raise fail(BAD_VALUE, "; ".join(problems), hint="e.g. {USD: 24.95, GBP: 18.99}")
    if not out:
        raise fail(BAD_VALUE, "lists no currency", hint="e.g. {USD: 24.95, GBP: 18.99}")
    return dict(sorted(out.items()))


CurrencyPrices = Annotated[dict[str, Decimal], BeforeValidator(_currency_prices)]


class Prices(BaseModel):
    """``price:``: per format, the amount per currency."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    paperback: CurrencyPrices | None = None
    hardcover: CurrencyPrices | None = None
    epub: CurrencyPrices | None = None
    pdf: CurrencyPrices | None = None

    def for_format(self, fmt: str) -> dict[str, Decimal]:
        return dict(getattr(self, fmt, None) or {})


def price_type(currency: str) -> str:
    """ONIX PriceType: 01 RRP excluding tax, 02 RRP including tax."""
    return "01" if currency in TAX_EXCLUSIVE else "02"


def prices_of(meta: Any) -> Prices | None:
    """The book's prices (``price`` in book.yaml)."""
    value = meta.price
    if value is None or isinstance(value, Prices):
        return value
    return Prices.model_validate(value)
