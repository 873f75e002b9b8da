using eNMS.Core.Inventory;

namespace eNMS.Tests.Core.Inventory;

public class PoolCriterionTests
{
    private static readonly Device Paris = new()
    {
        Name = "paris-core",
        Platform = "cisco_ios",
        Vendor = "Cisco",
        Location = "",
        CustomProperties = [new CustomProperty { Name = "role", Value = "core" }],
    };

    [Theory]
    [InlineData("platform", CriterionOperator.Equals, "CISCO_IOS", false, true)]
    [InlineData("platform", CriterionOperator.Equals, "cisco", false, false)]
    [InlineData("vendor", CriterionOperator.Contains, "isc", false, true)]
    [InlineData("name", CriterionOperator.Regex, "^paris-", false, true)]
    [InlineData("name", CriterionOperator.Regex, "^london-", false, false)]
    [InlineData("location", CriterionOperator.Empty, "", false, true)]
    [InlineData("location", CriterionOperator.Empty, "", true, false)]
    [InlineData("vendor", CriterionOperator.Equals, "Juniper", true, true)]
    [InlineData("role", CriterionOperator.Equals, "core", false, true)]
    [InlineData("not_a_property", CriterionOperator.Empty, "", false, true)]
    public void A_criterion_matches_built_in_and_custom_properties(string property, CriterionOperator op, string value, bool invert, bool expected)
    {
        var criterion = new PoolCriterion { Property = property, Operator = op, Value = value, Invert = invert };
        Assert.Equal(expected, criterion.Matches(InventoryFields.ValueOf(Paris, property)));
    }

    [Fact]
    public void Criteria_are_AND_ed()
    {
        var pool = new Pool
        {
            Name = "p",
            Criteria =
            [
                new PoolCriterion { Property = "vendor", Value = "Cisco" },
                new PoolCriterion { Property = "role", Value = "edge" },
            ],
        };
        PoolMembership.Recompute(pool, [Paris], []);
        Assert.Empty(pool.Devices);
    }

    [Fact]
    public void A_dynamic_pool_without_criteria_selects_nothing()
    {
        var pool = new Pool { Name = "empty" };
        PoolMembership.Recompute(pool, [Paris], []);
        Assert.Empty(pool.Devices);
    }

    [Fact]
    public void An_invalid_regex_is_reported_not_thrown()
    {
        var problem = new PoolCriterion { Property = "name", Operator = CriterionOperator.Regex, Value = "([a-z" }.Problem();
        Assert.Contains("not a valid regular expression", problem, StringComparison.Ordinal);
    }
}
