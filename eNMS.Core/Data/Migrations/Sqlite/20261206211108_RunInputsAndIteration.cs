using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace eNMS.Core.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "IterateOver",
                table: "Services",
                type: "TEXT",
                maxLength: 10000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<int>(
                name: "MaxIterations",
                table: "Services",
                type: "INTEGER",
                nullable: false,
                defaultValue: 100);

            migrationBuilder.AddColumn<string>(
                name: "Inputs",
                table: "Schedules",
                type: "TEXT",
                nullable: false,
                defaultValue: "{}");

            migrationBuilder.AddColumn<string>(
                name: "Inputs",
                table: "Runs",
                type: "TEXT",
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
