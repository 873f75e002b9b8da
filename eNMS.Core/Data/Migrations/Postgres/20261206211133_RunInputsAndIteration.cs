using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RunInputsAndIteration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Inputs",
                table: "Services",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "IterateOver",
                table: "Services",
                type: "character varying(10000)",
                maxLength: 10000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "MaxIterations",
                table: "Services",
                type: "integer",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.AddColumn<string>(
                name: "Inputs",
                table: "Schedules",
                type: "text",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Inputs",
                table: "Runs",
                type: "text",
                nullable: false,
                defaultValue: "{}");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Inputs",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "IterateOver",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "MaxIterations",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "Inputs",
                table: "Schedules");

            migrationBuilder.DropColumn(
                name: "Inputs",
                table: "Runs");
        }
    }
}
