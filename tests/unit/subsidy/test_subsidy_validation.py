"""Bad input is refused with one line naming file, record, id and field; good input of every shape is accepted."""

from __future__ import annotations

import copy
import json

import pytest
from subsidy_builders import cert, ledger, only_outlet, outlet, product, run, sale, scheme

from market.domain.subsidy import SubsidyInputError, decode_utf8, parse_json, simulate


def _error(scheme_text: str, ledger_text: str) -> str:
    with pytest.raises(SubsidyInputError) as caught:
        simulate(parse_json(scheme_text, "scheme.json"), parse_json(ledger_text, "ledger.json"),
                 scheme_source="scheme.json", ledger_source="ledger.json")
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    return message


def _edited(doc: dict, edit) -> str:
    doc = copy.deepcopy(doc)
    edit(doc)
    return json.dumps(doc, ensure_ascii=False)


def _set(path: str, value: object):
    """An edit that sets (or, for value DELETE, removes) the key at a dotted path like `tiers.0.rate`."""
    *parents, last = path.split(".")

    def edit(doc: dict) -> None:
        for part in parents:
            doc = doc[int(part)] if isinstance(doc, list) else doc[part]
        if value is DELETE:
            del doc[last]
        elif isinstance(doc, list):
            doc[int(last)] = value
        else:
            doc[last] = value

    return edit


DELETE = object()
GOOD_SCHEME = scheme(tiers=[{"up_to": "100.00", "rate": "0.03"}, {"up_to": None, "rate": "0.05"}])
GOOD_LEDGER = ledger([sale("S0"), sale("S1", refunded="10.00", verified=True)])
NUMBER = object()  # stands for a raw JSON number written into the text


def _with_number(doc: dict, path: str, number: str) -> str:
    """The document as JSON text with a raw JSON number (as written, e.g. 1e3) at the path."""
    marker = "@@NUMBER@@"
    return _edited(doc, _set(path, marker)).replace(f'"{marker}"', number)


SCHEME_ERRORS = [
    ("code", DELETE, "scheme.json: field code: missing"),
    ("code", None, "scheme.json: field code: null, but a value is required"),
    ("code", True, "scheme.json: field code: true is not a JSON string"),
    ("name", ["x"], "scheme.json: field name: a list is not a JSON string"),
    ("period", DELETE, "scheme.json: field period: missing"),
    ("period", "2026", 'scheme.json: period: "2026" is not a JSON object'),
    ("period.from", DELETE, "scheme.json: period: field from: missing"),
    ("period.to", "2026-02-29", 'scheme.json: period: field to: "2026-02-29" is not a real calendar date'),
    ("period.from", "2026/01/01", 'scheme.json: period: field from: "2026/01/01" is not a date written YYYY-MM-DD'),
    ("period.from", "2026-01-01T00:00:00",
     'scheme.json: period: field from: "2026-01-01T00:00:00" is not a date written YYYY-MM-DD'),
    ("period.from", "2026-1-1", 'scheme.json: period: field from: "2026-1-1" is not a date written YYYY-MM-DD'),
    ("period.from", "20260101", 'scheme.json: period: field from: "20260101" is not a date written YYYY-MM-DD'),
    ("period.to", "2025-12-31",
     'scheme.json: period: field to: "2025-12-31" is before from "2026-01-01": the period is reversed'),
    ("channels", [], "scheme.json: field channels: empty; name online, offline or both"),
    ("channels", ["online", "wechat"], 'scheme.json: field channels[1]: "wechat" is not online or offline'),
    ("channels", ["Online"], 'scheme.json: field channels[0]: "Online" is not online or offline'),
    ("channels", "online", 'scheme.json: field channels: "online" is not a JSON list'),
    ("categories", "apple", 'scheme.json: field categories: "apple" is neither null nor a JSON list'),
    ("categories", ["apple", None], "scheme.json: field categories[1]: null is not a JSON string"),
    ("min_sales", "1,000", 'scheme.json: field min_sales: "1,000" is not a plain decimal with at most two places'),
    ("min_sales", "-1.00", 'scheme.json: field min_sales: "-1.00" is negative; money cannot be negative'),
    ("min_sales", "100.001", 'scheme.json: field min_sales: "100.001" is not a plain decimal with at most two places'),
    ("threshold_mode", "Gate", 'scheme.json: field threshold_mode: "Gate" is not one of gate, excess'),
    ("tier_mode", "progressive", 'scheme.json: field tier_mode: "progressive" is not one of marginal, bracket'),
    ("tiers", DELETE, "scheme.json: field tiers: missing"),
    ("tiers", [], "scheme.json: field tiers: empty; at least one tier is required"),
    ("tiers", {"rate": "0.1"}, "scheme.json: field tiers: an object is not a JSON list"),
    ("tiers.0", "0.03", 'scheme.json: tiers[0]: "0.03" is not a JSON object'),
    ("tiers.0.rate", DELETE, "scheme.json: tiers[0]: field rate: missing"),
    ("tiers.1.rate", "1.5", 'scheme.json: tiers[1]: field rate: "1.5" is outside [0, 1]'),
    ("tiers.1.rate", "1.000001", 'scheme.json: tiers[1]: field rate: "1.000001" is outside [0, 1]'),
    ("tiers.1.rate", "-0.1", 'scheme.json: tiers[1]: field rate: "-0.1" is negative: outside [0, 1]'),
    ("tiers.1.rate", "0.0000001", 'scheme.json: tiers[1]: field rate: "0.0000001" is not a plain decimal with at '
                                  'most 6 places'),
    ("tiers.1.rate", "5%", 'scheme.json: tiers[1]: field rate: "5%" is not a plain decimal with at most 6 places'),
    ("tiers.0.up_to", None, "scheme.json: tiers[0]: field up_to: null; only the last tier may have no upper bound"),
    ("tiers.0.up_to", DELETE,
     "scheme.json: tiers[0]: field up_to: missing; only the last tier may have no upper bound"),
    ("tiers.1.up_to", "100.00",
     'scheme.json: tiers[1]: field up_to: "100.00" is not above the previous tier\'s "100.00": tiers must ascend'),
    ("tiers.1.up_to", "99.99",
     'scheme.json: tiers[1]: field up_to: "99.99" is not above the previous tier\'s "100.00": tiers must ascend'),
    ("tiers.1.up_to", "1e3",
     'scheme.json: tiers[1]: field up_to: "1e3" is not a plain decimal with at most two places'),
    ("household_weight", "0.99", 'scheme.json: field household_weight: "0.99" is less than 1'),
    ("household_weight", "0", 'scheme.json: field household_weight: "0" is less than 1'),
    ("household_weight", "-1", 'scheme.json: field household_weight: "-1" is negative: less than 1'),
    ("household_weight", "1.00001",
     'scheme.json: field household_weight: "1.00001" is not a plain decimal with at most 4 places'),
    ("cap", "30,000.00", 'scheme.json: field cap: "30,000.00" is not a plain decimal with at most two places'),
    ("budget", "¥100", 'scheme.json: field budget: "¥100" is not a plain decimal with at most two places'),
    ("budget", False, 'scheme.json: field budget: false is not a JSON string; money must be a JSON string like '
                      '"128.00"'),
]


@pytest.mark.parametrize(("path", "value", "message"), SCHEME_ERRORS)
def test_a_bad_scheme_is_refused_naming_the_field(path, value, message):
    assert _error(_edited(GOOD_SCHEME, _set(path, value)), json.dumps(GOOD_LEDGER)) == message


NUMBER_ERRORS = [
    ("min_sales", "1e3", 'scheme.json: field min_sales: 1e3 is a JSON number; money must be a JSON string like '
                         '"128.00"'),
    ("cap", "30000.0", 'scheme.json: field cap: 30000.0 is a JSON number; money must be a JSON string like "128.00"'),
    ("tiers.0.rate", "0.03", 'scheme.json: tiers[0]: field rate: 0.03 is a JSON number; a ratio must be a JSON '
                             'string like "0.03"'),
    ("household_weight", "1", 'scheme.json: field household_weight: 1 is a JSON number; a ratio must be a JSON '
                               'string like "0.03"'),
    ("code", "2026", "scheme.json: field code: 2026 is a JSON number, not a string"),
    ("period.from", "20260101", 'scheme.json: period: field from: 20260101 is a JSON number; a date must be a JSON '
                                'string like "2026-03-02"'),
]


@pytest.mark.parametrize(("path", "number", "message"), NUMBER_ERRORS)
def test_a_json_number_is_never_money_a_ratio_a_date_or_a_code(path, number, message):
    assert _error(_with_number(GOOD_SCHEME, path, number), json.dumps(GOOD_LEDGER)) == message


SEVENTEEN = ledger([sale(f"S{i}") for i in range(17)] + [sale("S17", "12,5")])

LEDGER_ERRORS = [
    ("outlets", DELETE, "ledger.json: field outlets: missing"),
    ("products", None, "ledger.json: field products: null, but a value is required"),
    ("sales", {}, "ledger.json: field sales: an object is not a JSON list"),
    ("outlets.0", "O1", 'ledger.json: outlets[0]: "O1" is not a JSON object'),
    ("outlets.0.code", DELETE, "ledger.json: outlets[0]: field code: missing"),
    ("outlets.0.name", 5, "ledger.json: outlets[0] (code O1): field name: 5 is a JSON number, not a string"),
    ("outlets.0.certifications", "LXXF-1", 'ledger.json: outlets[0] (code O1): field certifications: "LXXF-1" is not '
                                           'a JSON list'),
    ("outlets.0.certifications.0.from", "2026-13-01",
     'ledger.json: outlets[0].certifications[0] (code O1): field from: "2026-13-01" is not a real calendar date'),
    ("outlets.0.certifications.0.to", "2026-04-31",
     'ledger.json: outlets[0].certifications[0] (code O1): field to: "2026-04-31" is not a real calendar date'),
    ("outlets.0.certifications.0.revoked_on", "yesterday",
     'ledger.json: outlets[0].certifications[0] (code O1): field revoked_on: "yesterday" is not a date written '
     'YYYY-MM-DD'),
    ("outlets.0.certifications.0.number", 14,
     "ledger.json: outlets[0].certifications[0] (code O1): field number: 14 is a JSON number, not a string"),
    ("products.1.sku", "P1", 'ledger.json: products[1] (sku P1): field sku: "P1" is also the sku of products[0]'),
    ("products.0.category", DELETE, "ledger.json: products[0] (sku P1): field category: missing"),
    ("products.0.household_linked", 1,
     "ledger.json: products[0] (sku P1): field household_linked: 1 is not a JSON boolean (true or false)"),
    ("products.0.household_linked", "true",
     'ledger.json: products[0] (sku P1): field household_linked: "true" is not a JSON boolean (true or false)'),
    ("sales.1", ["S1"], "ledger.json: sales[1]: a list is not a JSON object"),
    ("sales.1.id", DELETE, "ledger.json: sales[1]: field id: missing"),
    ("sales.1.id", "S0", 'ledger.json: sales[1] (id S0): field id: "S0" is also the id of sales[0]'),
    ("sales.1.outlet", "LX-O-999",
     'ledger.json: sales[1] (id S1): field outlet: "LX-O-999" is not the code of an outlet in the ledger'),
    ("sales.1.outlet", DELETE, "ledger.json: sales[1] (id S1): field outlet: missing"),
    ("sales.1.outlet", ["O1"], "ledger.json: sales[1] (id S1): field outlet: a list is not a JSON string"),
    ("sales.1.sku", "APL-5KG",
     'ledger.json: sales[1] (id S1): field sku: "APL-5KG" is not the sku of a product in the ledger'),
    ("sales.1.sku", None, "ledger.json: sales[1] (id S1): field sku: null, but a value is required"),
    ("sales.1.channel", "wechat", 'ledger.json: sales[1] (id S1): field channel: "wechat" is not online or offline'),
    ("sales.1.channel", "ONLINE", 'ledger.json: sales[1] (id S1): field channel: "ONLINE" is not online or offline'),
    ("sales.1.channel", DELETE, "ledger.json: sales[1] (id S1): field channel: missing"),
    ("sales.1.date", "2026-02-29", 'ledger.json: sales[1] (id S1): field date: "2026-02-29" is not a real calendar '
                                   'date'),
    ("sales.1.date", "2026-03-02 10:00",
     'ledger.json: sales[1] (id S1): field date: "2026-03-02 10:00" is not a date written YYYY-MM-DD'),
    ("sales.1.date", "0000-01-01", 'ledger.json: sales[1] (id S1): field date: "0000-01-01" is not a real calendar '
                                   'date'),
    ("sales.1.amount", "-5.00", 'ledger.json: sales[1] (id S1): field amount: "-5.00" is negative; money cannot be '
                                'negative'),
    ("sales.1.amount", "12.345",
     'ledger.json: sales[1] (id S1): field amount: "12.345" is not a plain decimal with at most two places'),
    ("sales.1.amount", "1e3",
     'ledger.json: sales[1] (id S1): field amount: "1e3" is not a plain decimal with at most two places'),
    ("sales.1.amount", "12.", 'ledger.json: sales[1] (id S1): field amount: "12." is not a plain decimal with at '
                              'most two places'),
    ("sales.1.amount", ".5", 'ledger.json: sales[1] (id S1): field amount: ".5" is not a plain decimal with at most '
                             'two places'),
    ("sales.1.amount", " 12.50", 'ledger.json: sales[1] (id S1): field amount: " 12.50" is not a plain decimal with '
                                 'at most two places'),
    ("sales.1.amount", "12.50\n", 'ledger.json: sales[1] (id S1): field amount: "12.50\\u000a" is not a plain '
                                  'decimal with at most two places'),
    ("sales.1.amount", "１２", 'ledger.json: sales[1] (id S1): field amount: "１２" is not a plain decimal with at '
                              'most two places'),
    ("sales.1.amount", "+12", 'ledger.json: sales[1] (id S1): field amount: "+12" is not a plain decimal with at '
                              'most two places'),
    ("sales.1.amount", "", 'ledger.json: sales[1] (id S1): field amount: "" is not a plain decimal with at most two '
                           'places'),
    ("sales.1.amount", None, "ledger.json: sales[1] (id S1): field amount: null, but a value is required"),
    ("sales.1.refunded", "100.01",
     'ledger.json: sales[1] (id S1): field refunded: "100.01" is more than the amount "100.00"'),
    ("sales.1.refunded", "-1", 'ledger.json: sales[1] (id S1): field refunded: "-1" is negative; money cannot be '
                               'negative'),
    ("sales.1.verified", 1, "ledger.json: sales[1] (id S1): field verified: 1 is not a JSON boolean (true or false)"),
    ("sales.1.verified", "false",
     'ledger.json: sales[1] (id S1): field verified: "false" is not a JSON boolean (true or false)'),
    # Validated even when a rule would exclude the line anyway.
    ("sales.1.date", "2020-02-30", 'ledger.json: sales[1] (id S1): field date: "2020-02-30" is not a real calendar '
                                   'date'),
]


@pytest.mark.parametrize(("path", "value", "message"), LEDGER_ERRORS)
def test_a_bad_ledger_is_refused_naming_record_id_and_field(path, value, message):
    assert _error(json.dumps(GOOD_SCHEME), _edited(GOOD_LEDGER, _set(path, value))) == message


def test_the_example_message_of_the_issue():
    assert _error(json.dumps(GOOD_SCHEME), json.dumps(SEVENTEEN)) == (
        'ledger.json: sales[17] (id S17): field amount: "12,5" is not a plain decimal with at most two places')


def test_records_are_validated_even_when_excluded_and_the_first_bad_one_is_named():
    sales = [sale("S0", date="2019-01-01", channel="offline"), sale("S1", verified="yes"), sale("S2", "x")]
    message = _error(json.dumps(scheme(channels=["online"])), json.dumps(ledger(sales)))
    assert message == 'ledger.json: sales[1] (id S1): field verified: "yes" is not a JSON boolean (true or false)'


@pytest.mark.parametrize(("path", "number", "message"), [
    ("sales.1.amount", "128.0", 'ledger.json: sales[1] (id S1): field amount: 128.0 is a JSON number; money must be '
                                'a JSON string like "128.00"'),
    ("sales.1.amount", "1e3", 'ledger.json: sales[1] (id S1): field amount: 1e3 is a JSON number; money must be a '
                              'JSON string like "128.00"'),
    ("sales.1.id", "17", "ledger.json: sales[1]: field id: 17 is a JSON number, not a string"),
    ("sales.1.refunded", "0", 'ledger.json: sales[1] (id S1): field refunded: 0 is a JSON number; money must be a '
                              'JSON string like "128.00"'),
])
def test_json_numbers_in_sales_are_refused(path, number, message):
    assert _error(json.dumps(GOOD_SCHEME), _with_number(GOOD_LEDGER, path, number)) == message


def test_duplicates_across_records_are_refused():
    doubled = ledger([], outlets=[outlet("O1"), outlet("O2"), outlet("O1")])
    assert _error(json.dumps(GOOD_SCHEME), json.dumps(doubled)) == (
        'ledger.json: outlets[2] (code O1): field code: "O1" is also the code of outlets[0]')


@pytest.mark.parametrize(("scheme_text", "ledger_text", "message"), [
    ('{"code": "A", "code": "B", "period": {"from": "2026-01-01", "to": "2026-12-31"}, "tiers": [{"rate": "0.1"}]}',
     json.dumps(GOOD_LEDGER), "scheme.json: field code: key appears twice in the same object"),
    (json.dumps(GOOD_SCHEME),
     '{"outlets": [], "products": [], "sales": [{"id": "S1", "amount": "1.00", "amount": "2.00"}]}',
     "ledger.json: sales[0] (id S1): field amount: key appears twice in the same object"),
    (json.dumps(GOOD_SCHEME), '{"outlets": [{"code": "O1", "certifications": [{"from": "2026-01-01", '
                              '"from": "2025-01-01"}]}], "products": [], "sales": []}',
     "ledger.json: outlets[0].certifications[0] (code O1): field from: key appears twice in the same object"),
])
def test_a_repeated_key_in_a_record_is_refused(scheme_text, ledger_text, message):
    assert _error(scheme_text, ledger_text) == message


@pytest.mark.parametrize(("text", "message"), [
    ("", "ledger.json: not valid JSON: Expecting value at line 1 column 1"),
    ('{"outlets": [], }', "ledger.json: not valid JSON: Expecting property name enclosed in double quotes at line 1 "
                          "column 17"),
    ('{"cap": NaN}', "ledger.json: not valid JSON: NaN is not a JSON value"),
    ('{"cap": -Infinity}', "ledger.json: not valid JSON: -Infinity is not a JSON value"),
    ("[" * 100_000 + "]" * 100_000, "ledger.json: not valid JSON: nested too deeply"),
])
def test_text_that_is_not_json_is_refused(text, message):
    with pytest.raises(SubsidyInputError) as caught:
        parse_json(text, "ledger.json")
    assert str(caught.value) == message


def test_bytes_that_are_not_utf8_are_refused_and_a_bom_is_allowed():
    with pytest.raises(SubsidyInputError) as caught:
        decode_utf8(b'{"code": "\xff"}', "scheme.json")
    assert str(caught.value) == "scheme.json: not UTF-8 text (invalid byte at offset 10)"
    with pytest.raises(SubsidyInputError):
        decode_utf8('{"code": "陇县"}'.encode("gbk"), "scheme.json")
    assert decode_utf8(b'\xef\xbb\xbf{"a": 1}', "scheme.json") == '{"a": 1}'


@pytest.mark.parametrize(("scheme_text", "message"), [
    ("[]", "scheme.json: a list is not a JSON object (a scheme)"),
    ('"scheme"', 'scheme.json: "scheme" is not a JSON object (a scheme)'),
    ("null", "scheme.json: null is not a JSON object (a scheme)"),
])
def test_a_document_that_is_not_an_object_is_refused(scheme_text, message):
    assert _error(scheme_text, json.dumps(GOOD_LEDGER)) == message


def test_unprintable_characters_are_escaped_so_the_message_stays_one_line():
    def edit(doc: dict) -> None:
        doc["sales"][1].update({"id": "S\n1\u2028", "amount": "1\r\n"})

    assert _error(json.dumps(GOOD_SCHEME), _edited(GOOD_LEDGER, edit)) == (
        'ledger.json: sales[1] (id "S\\u000a1\\u2028"): field amount: "1\\u000d\\u000a" is not a plain decimal with '
        'at most two places')


def test_a_repeated_key_outside_the_records_is_harmless():
    text = json.dumps(ledger([sale("S1")])).replace('"S1", ', '"S1", "note": {"x": 1, "x": 2}, ', 1)
    assert '"x": 1, "x": 2' in text
    result = simulate(parse_json(json.dumps(scheme()), "s"), parse_json(text, "l"))
    assert result.outlets[0].qualifying_lines == 1


# --- accepted input -----------------------------------------------------------------------------------------

def test_explicit_null_on_optional_fields_means_the_default():
    nulls = scheme(name=None, channels=None, categories=None, min_sales=None, threshold_mode=None,
                   tier_mode=None, household_weight=None, cap=None, budget=None, tiers=[{"up_to": None, "rate": "0.1"}])
    absent = scheme(tiers=[{"rate": "0.1"}])
    sales = [sale("S1", refunded=None, verified=None), sale("S2", "50.00", channel="offline", verified=True)]
    ledger_doc = ledger(sales, outlets=[{"code": "O1", "name": None, "certifications": [cert()]},
                                        {"code": "O2", "certifications": None}],
                        products=[{"sku": "P1", "category": "apple", "name": None, "household_linked": None,
                                   "certifications": [{"number": None, "from": "2025-01-01", "to": None,
                                                       "revoked_on": None}]}])
    assert run(nulls, ledger_doc) == run(absent, ledger_doc)
    assert run(absent, ledger_doc)["total"] == "15.00"


def test_unknown_keys_are_ignored_even_with_odd_values():
    extra = {"note": {"x": 1}, "version": 2.5, "tags": [None, True]}
    plain = only_outlet(scheme(), ledger([sale("S1")]))
    noisy_ledger = ledger([sale("S1", **extra)], outlets=[outlet("O1", **extra)])
    noisy_ledger["comment"] = "导出于 2026-03-02"
    assert only_outlet(scheme(**extra), noisy_ledger) == plain


@pytest.mark.parametrize(("amount", "shown"), [
    ("0", "0.00"), ("7", "0.70"), ("007.5", "0.75"), ("12.5", "1.25"),
    ("12345678901234567890123456789012.34", "1234567890123456789012345678901.23"),
])
def test_money_forms_allowed_by_the_spec(amount, shown):
    entry = only_outlet(scheme(), ledger([sale("S1", amount)]))
    assert entry["gross"] == shown  # 10%; exact far beyond 28 digits


def test_a_leap_day_is_a_real_date():
    assert only_outlet(scheme(period={"from": "2028-01-01", "to": "2028-12-31"}),
                       ledger([sale("S1", date="2028-02-29")]))["qualifying_lines"] == 1


def test_empty_ledger_gives_an_empty_result():
    assert run(scheme(budget="10.00"), ledger([], outlets=[], products=[])) == {
        "scheme": "T-2026", "period": {"from": "2026-01-01", "to": "2026-12-31"}, "prorated": False,
        "total": "0.00", "outlets": []}


def test_product_fields_are_checked_even_when_no_sale_uses_it():
    ledger_doc = ledger([], products=[product(), {"sku": "X", "category": "apple", "household_linked": "no"}])
    assert _error(json.dumps(GOOD_SCHEME), json.dumps(ledger_doc)) == (
        'ledger.json: products[1] (sku X): field household_linked: "no" is not a JSON boolean (true or false)')


def test_an_empty_or_padded_id_is_quoted_in_messages():
    ledger_doc = ledger([sale(""), sale("")])
    assert _error(json.dumps(GOOD_SCHEME), json.dumps(ledger_doc)) == (
        'ledger.json: sales[1] (id ""): field id: "" is also the id of sales[0]')
    ledger_doc = ledger([sale("S1 ", "1,0")])
    assert _error(json.dumps(GOOD_SCHEME), json.dumps(ledger_doc)) == (
        'ledger.json: sales[0] (id "S1 "): field amount: "1,0" is not a plain decimal with at most two places')


def test_money_with_more_digits_than_int_parses_is_still_exact():
    huge = "9" * 5000 + ".99"
    entry = only_outlet(scheme(tiers=[{"up_to": None, "rate": "1"}]), ledger([sale("S1", huge, refunded="0.99")]))
    assert entry["subsidy"] == "9" * 5000 + ".00"
