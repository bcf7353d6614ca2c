"""budgeting: a round's data version, moved on by the database on every change of what its
ballot pages show

`budget_round.data_version` goes up by one whenever the round's row, one of its phases,
budgets or proposals, or any area changes: triggers do it, so every writer (the ORM, Core
updates, psql, a restore) moves it and none can forget. A new round starts at a random
version, so a round that takes a deleted round's id (SQLite reuses the highest id) is never
mistaken for it. Each app process keeps the round as
its ballot pages read it (participation/budgeting/rounds/snapshots.py) and uses it only while
the version it was read with is still the database's.

Revision ID: 99fe59179f4f
Revises: 4681f431671a
Create Date: 2026-12-04 22:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '99fe59179f4f'
down_revision = '4681f431671a'
branch_labels = None
depends_on = None

# Tables whose rows belong to one round (a `round_id` column).
CHILDREN = ("round_phase", "budget", "proposal")
BUMP = "UPDATE budget_round SET data_version = data_version + 1"

FIRST = "floor(random() * 1e15)"  # below 2**53: any client reads it exactly
POSTGRESQL_UP = [
    f"""CREATE FUNCTION budget_round_first_data_version() RETURNS trigger AS $$
    BEGIN
        NEW.data_version := {FIRST};
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER budget_round_first_data_version BEFORE INSERT ON budget_round "
    "FOR EACH ROW EXECUTE FUNCTION budget_round_first_data_version()",
    # The round's own update: the new row carries the next version (no second update).
    """CREATE FUNCTION budget_round_next_data_version() RETURNS trigger AS $$
    BEGIN
        NEW.data_version := OLD.data_version + 1;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER budget_round_data_version BEFORE UPDATE ON budget_round "
    "FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) "
    "EXECUTE FUNCTION budget_round_next_data_version()",
    f"""CREATE FUNCTION budget_round_child_changed() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            {BUMP} WHERE id = OLD.round_id;
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.round_id <> OLD.round_id) THEN
            {BUMP} WHERE id = NEW.round_id;
        END IF;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    *[f"CREATE TRIGGER {table}_moves_round_data_version AFTER INSERT OR UPDATE OR DELETE "
      f"ON {table} FOR EACH ROW EXECUTE FUNCTION budget_round_child_changed()"
      for table in CHILDREN],
    f"""CREATE FUNCTION area_changed_moves_rounds() RETURNS trigger AS $$
    BEGIN
        {BUMP};
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER area_moves_round_data_version AFTER INSERT OR UPDATE OR DELETE ON area "
    "FOR EACH STATEMENT EXECUTE FUNCTION area_changed_moves_rounds()",
]
POSTGRESQL_DOWN = [
    *[f"DROP TRIGGER IF EXISTS {table}_moves_round_data_version ON {table}"
      for table in CHILDREN],
    "DROP TRIGGER IF EXISTS area_moves_round_data_version ON area",
    "DROP TRIGGER IF EXISTS budget_round_data_version ON budget_round",
    "DROP TRIGGER IF EXISTS budget_round_first_data_version ON budget_round",
    "DROP FUNCTION IF EXISTS budget_round_first_data_version()",
    "DROP FUNCTION IF EXISTS area_changed_moves_rounds()",
    "DROP FUNCTION IF EXISTS budget_round_child_changed()",
    "DROP FUNCTION IF EXISTS budget_round_next_data_version()",
]



def sqlite_round_trigger(columns: list[str]) -> str:
    """SQLite: the round's own update moves the version when a column's value changed (a
    cast's closing check writes `voting_closed_at` over itself to take the write lock: that
    is no change) and the update left the version as it was (a child's trigger and the first
    version set it themselves), so it never runs twice for one change; SQLite does not run
    triggers recursively unless asked. A migration that adds a column to budget_round makes
    this trigger again with the new column list (tests/budgeting/test_snapshots.py checks
    every column)."""
    changed = " OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in columns)
    return ("CREATE TRIGGER budget_round_data_version AFTER UPDATE ON budget_round "
            f"WHEN NEW.data_version = OLD.data_version AND ({changed}) "
            f"BEGIN {BUMP} WHERE id = NEW.id; END")


SQLITE_UP = [
    "CREATE TRIGGER budget_round_first_data_version AFTER INSERT ON budget_round "
    "BEGIN UPDATE budget_round SET data_version = abs(random() % 1000000000000000) "
    "WHERE id = NEW.id; END",
    *[statement for table in CHILDREN for statement in (
        f"CREATE TRIGGER {table}_insert_moves_round_data_version AFTER INSERT ON {table} "
        f"BEGIN {BUMP} WHERE id = NEW.round_id; END",
        f"CREATE TRIGGER {table}_update_moves_round_data_version AFTER UPDATE ON {table} "
        f"BEGIN {BUMP} WHERE id IN (OLD.round_id, NEW.round_id); END",
        f"CREATE TRIGGER {table}_delete_moves_round_data_version AFTER DELETE ON {table} "
        f"BEGIN {BUMP} WHERE id = OLD.round_id; END")],
    *[f"CREATE TRIGGER area_{event}_moves_round_data_version AFTER {event.upper()} ON area "
      f"BEGIN {BUMP}; END" for event in ("insert", "update", "delete")],
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS budget_round_first_data_version",
    "DROP TRIGGER IF EXISTS budget_round_data_version",
    *[f"DROP TRIGGER IF EXISTS {table}_{event}_moves_round_data_version"
      for table in (*CHILDREN, "area") for event in ("insert", "update", "delete")],
]


def upgrade():
    with op.batch_alter_table('budget_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_version', sa.BigInteger(), nullable=False,
                                      server_default='0'))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)
        return
    columns = [column["name"] for column in sa.inspect(bind).get_columns("budget_round")
               if column["name"] not in ("id", "data_version")]
    for statement in (*SQLITE_UP, sqlite_round_trigger(columns)):
        op.execute(statement)


def downgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRESQL_DOWN if postgresql else SQLITE_DOWN:
        op.execute(statement)
    with op.batch_alter_table('budget_round', schema=None) as batch_op:
        batch_op.drop_column('data_version')
