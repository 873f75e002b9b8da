using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EngineSimulatedDevices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Simulated",
                table: "Devices",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // A demo network seeded before the simulator existed: its devices answer from the simulator from now on
            // (their documentation addresses are never dialled).
            migrationBuilder.Sql("UPDATE \"Devices\" SET \"Simulated\" = TRUE WHERE \"Address\" LIKE '192.0.2.%' AND \"Description\" = 'Demo backbone router'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Simulated",
                table: "Devices");
        }
    }
}
