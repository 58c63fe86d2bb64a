package org.mtpjava.bridge;

import org.junit.jupiter.api.Test;
import org.mtpjava.TestData;
import org.mtpjava.io.PotentialFiles;
import org.mtpjava.model.Potential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeSpeciesTest {
    private final Potential quaternary = PotentialFiles.read(
            TestData.data("monbtaw_li2020_maml/published_potentials/NbMoTaW_mtp.2021.08_quaternary.mtp"));

    @Test
    void indicesMapDirectly() {
        TypeSpecies t = TypeSpecies.parse(quaternary, "q.mtp", null, "1 0 2", 3);
        assertEquals(1, t.species(1));
        assertEquals(0, t.species(2));
        assertEquals(2, t.species(3));
    }

    @Test
    void declaredNamesMapTypes() {
        TypeSpecies t = TypeSpecies.parse(quaternary, "q.mtp", "Nb Mo Ta W", "Mo Nb Ta Mo", 4);
        assertEquals(1, t.species(1));
        assertEquals(0, t.species(2));
        assertEquals(2, t.species(3));
        assertEquals(1, t.species(4));
        assertTrue(t.describe().startsWith("1->Mo(1) 2->Nb(0)"));
    }

    @Test
    void atomicNumberLabelsNameTheElements() {
        Potential p = quaternary.copy();
        p.setSpeciesLabels(new int[] {41, 42, 73, 74});
        TypeSpecies t = TypeSpecies.parse(p, "q.mtp", null, "W Ta", 2);
        assertEquals(3, t.species(1));
        assertEquals(2, t.species(2));
    }

    @Test
    void clearErrors() {
        assertMessage("element Xx is not a species", () -> TypeSpecies.parse(quaternary, "q.mtp", "Nb Mo Ta W", "Mo Xx", 2));
        assertMessage("carries no element names", () -> TypeSpecies.parse(quaternary, "q.mtp", null, "Mo Nb", 2));
        assertMessage("NULL", () -> TypeSpecies.parse(quaternary, "q.mtp", null, "0 NULL", 2));
        assertMessage("outside 0..3", () -> TypeSpecies.parse(quaternary, "q.mtp", null, "0 4", 2));
        assertMessage("needs 3 species entries", () -> TypeSpecies.parse(quaternary, "q.mtp", null, "0 1", 3));
        assertMessage("lists 3 names", () -> TypeSpecies.parse(quaternary, "q.mtp", "Nb Mo Ta", "0", 1));
        assertMessage("twice", () -> TypeSpecies.parse(quaternary, "q.mtp", "Nb Mo Ta Nb", "0", 1));
    }

    private static void assertMessage(String part, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
