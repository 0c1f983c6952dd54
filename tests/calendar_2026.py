"""China's 2026 holidays and adjusted working days, as the State Council's notice (国办发明电〔2025〕7号,
published 2025-11) sets them and the `holidays` package (0.109) has them: the table the tests check both the
working-day arithmetic and the seed against."""

from __future__ import annotations

from datetime import date

# 元旦 1-3 Jan (4 Jan works); 春节 15-23 Feb (14 and 28 Feb work); 清明 4-6 Apr; 劳动节 1-5 May (9 May works);
# 端午 19-21 Jun; 中秋 25-27 Sep; 国庆 1-7 Oct (20 Sep and 10 Oct work). The package lists the statutory and
# swapped days off (some fall on a weekend, as 3 Oct); the other weekend days of a break are weekends anyway.
HOLIDAYS_2026 = frozenset({
    date(2026, 1, 1), date(2026, 1, 2),
    date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19), date(2026, 2, 20),
    date(2026, 2, 23),
    date(2026, 4, 5), date(2026, 4, 6),
    date(2026, 5, 1), date(2026, 5, 2), date(2026, 5, 4), date(2026, 5, 5),
    date(2026, 6, 19),
    date(2026, 9, 25),
    date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3), date(2026, 10, 5), date(2026, 10, 6),
    date(2026, 10, 7),
})
WORKING_DAYS_2026 = frozenset({
    date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
    date(2026, 10, 10),
})
