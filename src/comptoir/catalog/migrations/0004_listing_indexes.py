from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                fields=["category", "is_active"],
                include=("id", "brand", "season", "name_en", "name_fr", "name_nl", "name_sv"),
                name="product_listing",
            ),
        ),
        # The visibility test "has one of these tags" reads tag -> products from the index alone.
        # Django creates the tags table itself, so this index is declared here, not on a model.
        migrations.RunSQL(
            "CREATE INDEX catalog_product_tags_tag_product ON catalog_product_tags (tag_id, product_id)",
            "DROP INDEX catalog_product_tags_tag_product",
        ),
    ]
