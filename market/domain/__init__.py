"""Pure business logic: money, dates, certification windows, the subsidy engine. No Flask, no database."""
